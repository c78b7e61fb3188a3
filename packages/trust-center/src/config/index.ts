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

export { OrganisationSchema, ContactsSchema } from './schemas/organisation.js';
export { HighlightSchema } from './schemas/highlights.js';
export { ControlSchema, ControlSectionSchema, ControlsSchema } from './schemas/controls.js';
export { SubprocessorSchema, SubprocessorsSchema, TransferMechanismSchema } from './schemas/subprocessors.js';
export { FrameworkSchema, FrameworkKindSchema, FrameworkStatusSchema, ComplianceSchema, ReportSchema, AuditPeriodSchema } from './schemas/compliance.js';
export { DataHandlingSchema, DataCategorySchema, RetentionRowSchema } from './schemas/data-handling.js';
export { IdentitySchema, IdentityFeatureSchema, AuthMethodSchema, RoleSchema } from './schemas/identity.js';
export { AuditLoggingSchema, AuditKeySchema, AuditEventCategorySchema } from './schemas/audit-logging.js';
export { PrivacySchema, CookieSchema, RightSchema, TransferSchema } from './schemas/privacy.js';
export { IncidentResponseSchema, IncidentSchema } from './schemas/incident-response.js';
export { DisclosureSchema, SecurityTxtSchema, AcknowledgementSchema } from './schemas/disclosure.js';
export { QuestionnaireSchema, QuestionCategorySchema, AnswerSchema } from './schemas/questionnaire.js';
export { DocumentSchema } from './schemas/documents.js';
export { UpdateSchema, UpdateCategorySchema } from './schemas/updates.js';
export { CustomSectionSchema, CustomTableSchema } from './schemas/custom-sections.js';
export { BrandingSchema } from './schemas/branding.js';
export { ControlStatusSchema, AccessLevelSchema, EvidenceLinkSchema, IsoDateSchema, LinkSchema, ContactSchema, SlugSchema } from './schemas/common.js';
export type { ControlStatus, AccessLevel, EvidenceLink, IsoDate } from './schemas/common.js';
export type { TrustDocument as TrustDocumentEntry } from './schemas/documents.js';
