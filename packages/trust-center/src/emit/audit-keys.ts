import { calculateJwkThumbprint } from 'jose';
import { z } from 'zod';
import { dayNumber } from '../config/dates.js';
import type { AuditKey } from '../config/schemas/audit-logging.js';

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * The shape of `/.well-known/audit-keys.json`. Mirrors what `stela-audit verify --keys` accepts;
 * once `@stela/audit-chain` exports `AuditJwksSchema` from its entry point, this is replaced by it.
 */
export const AuditJwksSchema = z.object({
  keys: z
    .array(
      z.strictObject({
        kty: z.literal('OKP'),
        crv: z.literal('Ed25519'),
        x: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
        kid: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
        alg: z.literal('EdDSA'),
        use: z.literal('sig'),
        /** Inclusive. */
        valid_from: z.string().regex(TIMESTAMP).optional(),
        /** Exclusive. */
        valid_until: z.string().regex(TIMESTAMP).optional(),
      }),
    )
    .min(1),
});

export type AuditJwks = z.output<typeof AuditJwksSchema>;

function startOfDay(isoDate: string): string {
  return `${isoDate}T00:00:00.000Z`;
}

function startOfNextDay(isoDate: string): string {
  return new Date((dayNumber(isoDate) + 1) * 86_400_000).toISOString();
}

/**
 * Builds the audit-key JWKS. `kid` is the RFC 7638 thumbprint, so it names the key itself and
 * cannot drift from it. `valid_until` in the config is the last day, inclusive; in the JWKS it
 * is the first instant the key no longer signs (exclusive), as the audit-chain spec reads it.
 *
 * @example
 * ```ts
 * const jwks = await emitAuditJwks([{ x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' }]);
 * ```
 */
export async function emitAuditJwks(keys: ReadonlyArray<AuditKey>): Promise<AuditJwks> {
  const out = await Promise.all(
    keys.map(async (k) => ({
      kty: 'OKP' as const,
      crv: 'Ed25519' as const,
      x: k.x,
      kid: await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: k.x }, 'sha256'),
      alg: 'EdDSA' as const,
      use: 'sig' as const,
      ...(k.valid_from ? { valid_from: startOfDay(k.valid_from) } : {}),
      ...(k.valid_until ? { valid_until: startOfNextDay(k.valid_until) } : {}),
    })),
  );
  return AuditJwksSchema.parse({ keys: out });
}
