/**
 * @module `@stela/trust-center`: one typed YAML file in, a trust-center site plus security.txt,
 * signed trust.json, sub-processor feeds and the audit-key JWKS out. This entry is pure; the
 * Astro integration is `@stela/trust-center/integration`, the CLI is `stela-trust`.
 */
export { TrustCenterError } from './errors.js';
export type { TrustCenterErrorCode } from './errors.js';
export { TrustConfigSchema, CONFIG_SCHEMA_VERSION, defineTrustConfig } from './config/schema.js';
export type { TrustConfig, TrustConfigInput } from './config/schema.js';
export { safeParseTrustConfig } from './config/parse-config.js';
export type { ConfigResult } from './config/parse-config.js';
export { safeParseTrustYaml, parseTrustYaml } from './config/parse-yaml.js';
export { lintFreshness } from './config/freshness.js';
export { formatProblem } from './config/problem.js';
export type { ConfigProblem, ConfigPath } from './config/problem.js';
export { generateJsonSchema } from './config/json-schema.js';
export { emitSecurityTxt } from './emit/security-txt.js';
export { emitAuditJwks, AuditJwksSchema } from './emit/audit-keys.js';
export type { AuditJwks } from './emit/audit-keys.js';
export { buildTrustDocument } from './emit/trust-document.js';
export { signTrustDocument } from './emit/sign-trust-document.js';
export { emitSubprocessorsJson } from './emit/subprocessors-json.js';
export { emitAtomFeed } from './emit/atom-feed.js';
export { emitJsonLd } from './emit/json-ld.js';
export { emitSite } from './emit/emit-site.js';
export type { SiteFile } from './emit/emit-site.js';
