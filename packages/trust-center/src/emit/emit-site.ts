import type { TrustConfig } from '../config/schema.js';
import { emitAtomFeed } from './atom-feed.js';
import { emitAuditJwks } from './audit-keys.js';
import { emitSecurityTxt } from './security-txt.js';
import { signTrustDocument } from './sign-trust-document.js';
import { emitSubprocessorsJson } from './subprocessors-json.js';
import { buildTrustDocument } from './trust-document.js';

/** A file to write under the site root. */
export interface SiteFile {
  path: string;
  contentType: string;
  body: string;
}

/**
 * Every machine-readable file of the site, in memory. Signs `trust.json` when a key is given;
 * without one it says so in `signed: false` and writes no signature files.
 *
 * @example
 * ```ts
 * const { files, signed } = await emitSite(config, { now: new Date('2026-06-01T00:00:00Z') });
 * ```
 */
export async function emitSite(config: TrustConfig, options: { now: Date; signingKey?: unknown }): Promise<{ files: SiteFile[]; signed: boolean; kid?: string }> {
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  const trustJson = json(buildTrustDocument(config, options));
  const files: SiteFile[] = [
    { path: 'trust.json', contentType: 'application/json', body: trustJson },
    { path: 'subprocessors.json', contentType: 'application/json', body: json(emitSubprocessorsJson(config, options)) },
    { path: 'feed.xml', contentType: 'application/atom+xml', body: emitAtomFeed(config, options) },
    { path: '.well-known/security.txt', contentType: 'text/plain; charset=utf-8', body: emitSecurityTxt(config, options) },
  ];
  const auditKeys = config.audit_logging?.keys ?? [];
  if (auditKeys.length) files.push({ path: '.well-known/audit-keys.json', contentType: 'application/jwk-set+json', body: json(await emitAuditJwks(auditKeys)) });
  if (options.signingKey === undefined) return { files, signed: false };
  const signed = await signTrustDocument(new TextEncoder().encode(trustJson), options.signingKey);
  files.push({ path: 'trust.json.jws', contentType: 'application/jose', body: `${signed.jws}\n` });
  files.push({ path: '.well-known/trust-keys.json', contentType: 'application/jwk-set+json', body: json(signed.jwks) });
  return { files, signed: true, kid: signed.kid };
}
