/**
 * @module Emitters: pure functions from a validated config (and an injected clock) to the
 * machine-readable files a trust center publishes.
 */
export { emitSecurityTxt } from './security-txt.js';
export { emitAuditJwks, AuditJwksSchema } from './audit-keys.js';
export type { AuditJwks } from './audit-keys.js';
export { buildTrustDocument, TRUST_DOCUMENT_VERSION } from './trust-document.js';
export type { TrustDocument } from './trust-document.js';
export { signTrustDocument, SigningJwkSchema, TRUST_JWS_TYP } from './sign-trust-document.js';
export type { SignedTrustDocument } from './sign-trust-document.js';
export { emitSubprocessorsJson } from './subprocessors-json.js';
export { emitAtomFeed, feedEntries } from './atom-feed.js';
export type { FeedEntry } from './atom-feed.js';
export { emitJsonLd } from './json-ld.js';
export { emitSite } from './emit-site.js';
export type { SiteFile } from './emit-site.js';
