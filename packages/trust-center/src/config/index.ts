/**
 * @module The trust-center config: the zod schema, the parse → normalise → rules pipeline,
 * freshness linting and friendly, positioned problems. Pure: no file system access.
 */
export { TrustConfigSchema, CONFIG_SCHEMA_VERSION, defineTrustConfig } from './schema.js';
export type { TrustConfig, TrustConfigInput } from './schema.js';
export { safeParseTrustConfig } from './parse-config.js';
export type { ConfigResult } from './parse-config.js';
export { safeParseTrustYaml, parseTrustYaml } from './parse-yaml.js';
export { normaliseConfig, slugify } from './normalise.js';
export { CONFIG_RULES } from './rules.js';
export type { ConfigRule } from './rules.js';
export { lintFreshness, FRESHNESS_CHECKS } from './freshness.js';
export type { FreshnessCheck } from './freshness.js';
export { displayedFrameworkStatus, subprocessorState } from './status.js';
export type { DisplayedFrameworkStatus, SubprocessorState } from './status.js';
export { formatProblem, formatPath } from './problem.js';
export type { ConfigProblem, ConfigPath } from './problem.js';
export { friendlyIssues } from './friendly-errors.js';
export { generateJsonSchema } from './json-schema.js';
export type { Control, ControlSection, Controls } from './schemas/controls.js';
export type { Subprocessor, Subprocessors, TransferMechanism } from './schemas/subprocessors.js';
export type { Framework, FrameworkKind, FrameworkStatus, Compliance } from './schemas/compliance.js';
export type { Answer, Questionnaire } from './schemas/questionnaire.js';
export type { Update, UpdateCategory } from './schemas/updates.js';
export type { AuditKey, AuditLogging } from './schemas/audit-logging.js';
export type { SecurityTxt, Disclosure } from './schemas/disclosure.js';
export type { CustomSection, CustomTable } from './schemas/custom-sections.js';
export type { Organisation, OrganisationInput } from './schemas/organisation.js';
