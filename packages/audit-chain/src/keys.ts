/**
 * Audit signing keys: generation, the public JWKS shape verifiers accept, and key lookup with
 * validity windows so keys can rotate (SPEC.md §7.3).
 */
import { z } from 'zod';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { AuditChainError } from './errors.js';
import { isCanonicalTimestamp } from './entry-input.js';

const B64URL_32 = /^[A-Za-z0-9_-]{43}$/;
const timestamp = z.string().refine(isCanonicalTimestamp, 'must be an RFC 3339 UTC timestamp with milliseconds, e.g. 2026-01-01T00:00:00.000Z');

/** A public Ed25519 verification key as published in a JWKS (RFC 7517, RFC 8037). */
export const AuditPublicJwkSchema = z
  .object({
    kty: z.literal('OKP'),
    crv: z.literal('Ed25519'),
    x: z.string().regex(B64URL_32, 'must be a 32-byte base64url public key'),
    kid: z.string().optional(),
    alg: z.enum(['EdDSA', 'Ed25519']).optional(),
    use: z.literal('sig').optional(),
    /** First instant this key may sign checkpoints (inclusive). */
    valid_from: timestamp.optional(),
    /** Instant from which this key may no longer sign checkpoints (exclusive). */
    valid_until: timestamp.optional(),
  })
  .loose()
  .refine((k) => !('d' in k), { message: 'is a private key: publish only the public part', path: ['d'] });

/** A public audit key. */
export type AuditPublicJwk = z.output<typeof AuditPublicJwkSchema>;

/**
 * The key set `stela-audit verify --keys` and `verifyExport({ keys })` accept: the
 * `/.well-known/audit-keys.json` a trust center publishes.
 * @example AuditJwksSchema.parse(JSON.parse(await readFile('audit-keys.json', 'utf8')))
 */
export const AuditJwksSchema = z.object({ keys: z.array(AuditPublicJwkSchema).min(1, 'must hold at least one key') });

/** A parsed key set. */
export type AuditJwks = z.output<typeof AuditJwksSchema>;

/** A private Ed25519 JWK as `stela-audit keygen` writes it. */
export const AuditPrivateJwkSchema = z
  .object({
    kty: z.literal('OKP'),
    crv: z.literal('Ed25519'),
    x: z.string().regex(B64URL_32),
    d: z.string().regex(B64URL_32, 'must be a 32-byte base64url private key'),
    kid: z.string().optional(),
  })
  .loose();

/** A private signing key. */
export type AuditPrivateJwk = z.output<typeof AuditPrivateJwkSchema>;

/** Returns the RFC 7638 thumbprint (SHA-256, base64url) that serves as `kid`. */
export async function keyThumbprint(jwk: { kty: string; crv: string; x: string }): Promise<string> {
  return calculateJwkThumbprint({ kty: jwk.kty, crv: jwk.crv, x: jwk.x } as JWK, 'sha256');
}

/** A freshly generated key pair. */
export interface GeneratedKey {
  readonly privateJwk: AuditPrivateJwk;
  readonly publicJwks: AuditJwks;
  readonly kid: string;
}

/**
 * Generates an Ed25519 signing key. `validFrom` (default: no lower bound) is recorded in the
 * public JWK so verifiers can tell which key was in force when.
 * @example const { privateJwk, publicJwks } = await generateAuditKey();
 */
export async function generateAuditKey(options: { validFrom?: string; validUntil?: string } = {}): Promise<GeneratedKey> {
  const { privateKey } = await generateKeyPair('Ed25519', { extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await keyThumbprint(jwk as { kty: string; crv: string; x: string });
  const privateJwk = AuditPrivateJwkSchema.parse({ ...jwk, kid, alg: 'EdDSA' });
  const pub: Record<string, unknown> = { kty: 'OKP', crv: 'Ed25519', x: privateJwk.x, kid, alg: 'EdDSA', use: 'sig' };
  if (options.validFrom) pub.valid_from = options.validFrom;
  if (options.validUntil) pub.valid_until = options.validUntil;
  return { privateJwk, publicJwks: AuditJwksSchema.parse({ keys: [pub] }), kid };
}

/** Returns the public JWKS for a private key (what a vendor publishes). */
export async function publicJwksFor(privateJwk: AuditPrivateJwk): Promise<AuditJwks> {
  const kid = await keyThumbprint(privateJwk);
  return { keys: [{ kty: 'OKP', crv: 'Ed25519', x: privateJwk.x, kid, alg: 'EdDSA', use: 'sig' }] };
}

/** A verification key ready to use. */
export interface ResolvedKey {
  readonly kid: string;
  readonly jwk: AuditPublicJwk;
  readonly key: CryptoKey;
  readonly raw: Uint8Array;
}

/** Keys indexed by thumbprint. The thumbprint is always recomputed; a JWK's own `kid` must match it. */
export interface KeyRing {
  readonly keys: ReadonlyMap<string, ResolvedKey>;
  /** Whether the caller supplied these keys (true) or they came from the export itself (false). */
  readonly trusted: boolean;
}

/**
 * Builds a key ring from a JWKS.
 * @throws AuditChainError `ERR_AUDIT_KEYS_INVALID` when the set or a key is malformed.
 */
export async function createKeyRing(jwks: unknown, trusted = true): Promise<KeyRing> {
  const parsed = AuditJwksSchema.safeParse(jwks);
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join('.') || 'keys'}: ${i.message}`).join('; ');
    throw new AuditChainError('ERR_AUDIT_KEYS_INVALID', `the key set is not a valid audit JWKS (${why})`);
  }
  const keys = new Map<string, ResolvedKey>();
  for (const jwk of parsed.data.keys) {
    const kid = await keyThumbprint(jwk);
    if (jwk.kid !== undefined && jwk.kid !== kid) {
      throw new AuditChainError('ERR_AUDIT_KEYS_INVALID', `key "${jwk.kid}" has a kid that is not its RFC 7638 thumbprint (${kid})`);
    }
    const key = (await importJWK({ kty: 'OKP', crv: 'Ed25519', x: jwk.x }, 'EdDSA')) as CryptoKey;
    const raw = base64UrlToBytes(jwk.x);
    keys.set(kid, { kid, jwk, key, raw });
  }
  return { keys, trusted };
}

/** Whether `key` may have signed something issued at `issuedAt`. */
export function keyValidAt(key: ResolvedKey, issuedAt: string): boolean {
  if (key.jwk.valid_from !== undefined && issuedAt < key.jwk.valid_from) return false;
  if (key.jwk.valid_until !== undefined && issuedAt >= key.jwk.valid_until) return false;
  return true;
}

function base64UrlToBytes(s: string): Uint8Array {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}
