import { z } from 'zod';
import { AuditLoggingSchema } from './schemas/audit-logging.js';
import { BrandingSchema } from './schemas/branding.js';
import { ComplianceSchema } from './schemas/compliance.js';
import { ControlsSchema } from './schemas/controls.js';
import { CustomSectionSchema } from './schemas/custom-sections.js';
import { DataHandlingSchema } from './schemas/data-handling.js';
import { DisclosureSchema } from './schemas/disclosure.js';
import { DocumentSchema } from './schemas/documents.js';
import { HighlightSchema } from './schemas/highlights.js';
import { IdentitySchema } from './schemas/identity.js';
import { IncidentResponseSchema } from './schemas/incident-response.js';
import { OrganisationSchema } from './schemas/organisation.js';
import { PrivacySchema } from './schemas/privacy.js';
import { QuestionnaireSchema } from './schemas/questionnaire.js';
import { SubprocessorsSchema } from './schemas/subprocessors.js';
import { UpdateSchema } from './schemas/updates.js';

/** The config format version. Bumped only for breaking changes; `trust.json` carries it too. */
export const CONFIG_SCHEMA_VERSION = 1;

/**
 * The whole trust-center config: one YAML (or TypeScript) file, validated by this schema. Every
 * page, feed and standards file is derived from the parsed result.
 *
 * @example
 * ```ts
 * import { TrustConfigSchema } from '@stela/trust-center/config';
 * const config = TrustConfigSchema.parse({
 *   schema_version: 1,
 *   organisation: { name: 'Quillby', website: 'https://quillby.example', trust_url: 'https://quillby.example/trust' },
 *   disclosure: { policy: 'Email security@quillby.example.' },
 * });
 * ```
 */
export const TrustConfigSchema = z.strictObject({
  /** Editors use this to find the JSON Schema; ignored by the build. */
  $schema: z.string().optional().describe("Editors use this to find the JSON Schema; ignored by the build."),
  /** Always `1` for this release. @example 1 */
  schema_version: z.literal(CONFIG_SCHEMA_VERSION, { error: `Expected schema_version: ${CONFIG_SCHEMA_VERSION}.` }).describe("Always `1` for this release. Example: 1"),
  organisation: OrganisationSchema,
  /** A short paragraph at the top of the overview page. */
  intro: z.string().optional().describe("A short paragraph at the top of the overview page."),
  /** Up to eight badges at the top of the overview page. */
  highlights: z.array(HighlightSchema).max(8).default([]).describe("Up to eight badges at the top of the overview page."),
  controls: ControlsSchema.default({ review_interval_days: 365, sections: [] }),
  subprocessors: SubprocessorsSchema.default({ notice_days: 30, entries: [] }),
  compliance: ComplianceSchema.default({ soc2_max_age_days: 455, frameworks: [] }),
  data: DataHandlingSchema.optional(),
  identity: IdentitySchema.optional(),
  audit_logging: AuditLoggingSchema.optional(),
  privacy: PrivacySchema.optional(),
  incident_response: IncidentResponseSchema.optional(),
  disclosure: DisclosureSchema,
  questionnaire: QuestionnaireSchema.default({ review_interval_days: 365, categories: [] }),
  documents: z.array(DocumentSchema).default([]),
  updates: z.array(UpdateSchema).default([]),
  custom_sections: z.array(CustomSectionSchema).default([]),
  branding: BrandingSchema.default({ primary_color: '#1d4ed8', text_color: '#111827', background_color: '#ffffff', lang: 'en' }),
});

/** The validated, defaulted config. */
export type TrustConfig = z.output<typeof TrustConfigSchema>;
/** What a vendor writes: defaults may be left out. */
export type TrustConfigInput = z.input<typeof TrustConfigSchema>;

/**
 * Types a config written in TypeScript, for `trustCenter({ config: defineTrustConfig({...}) })`.
 * Returns its argument unchanged; validation happens in the build, as for YAML.
 *
 * @example
 * ```ts
 * export default defineTrustConfig({
 *   schema_version: 1,
 *   organisation: { name: 'Quillby', website: 'https://quillby.example', trust_url: 'https://quillby.example/trust', contacts: { security: 'security@quillby.example' } },
 *   disclosure: { policy: 'Email security@quillby.example.' },
 * });
 * ```
 */
export function defineTrustConfig(config: TrustConfigInput): TrustConfigInput {
  return config;
}
