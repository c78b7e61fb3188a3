import { z } from 'zod';
import { AccessLevelSchema, IsoDateSchema, LinkSchema, MarkdownSchema, SlugSchema } from './common.js';

/** The frameworks the schema knows by name. Use `custom` with `name` for anything else. */
export const FrameworkKindSchema = z.enum([
  'soc2_type1',
  'soc2_type2',
  'iso27001',
  'iso27701',
  'gdpr',
  'uk_gdpr',
  'ccpa',
  'hipaa',
  'pci_dss',
  'dpdpa',
  'custom',
]);

/**
 * Where the vendor stands. `certified` is for audited attestations (SOC 2, ISO 27001, PCI DSS
 * with a QSA); `compliant` is for self-assessed legal regimes (GDPR, CCPA, DPDPA).
 */
export const FrameworkStatusSchema = z.enum(['certified', 'compliant', 'in_progress', 'planned', 'not_pursued', 'not_applicable']);

/** How a buyer gets the report. */
export const ReportSchema = z.strictObject({
  /** `public`, `on_request` or `nda`. @example nda */
  access: AccessLevelSchema.describe("`public`, `on_request` or `nda`. Example: nda"),
  /** A download link (public) or a request form (otherwise). */
  url: LinkSchema.optional().describe("A download link (public) or a request form (otherwise)."),
  /** SHA-256 of the report PDF in hex, so a buyer can check the copy they were sent. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/, { error: 'Expected 64 lower-case hex characters.' }).optional().describe("SHA-256 of the report PDF in hex, so a buyer can check the copy they were sent."),
});

/** The period an audit covers (SOC 2 Type II observation window). */
export const AuditPeriodSchema = z.strictObject({
  /** @example 2025-07-01 */
  start: IsoDateSchema.describe("Example: 2025-07-01"),
  /** @example 2026-06-30 */
  end: IsoDateSchema.describe("Example: 2026-06-30"),
});

/** One compliance framework, law or attestation. */
export const FrameworkSchema = z.strictObject({
  /** Defaults to the framework kind. @example soc2-type2 */
  id: SlugSchema.optional().describe("Defaults to the framework kind. Example: soc2-type2"),
  /** @example soc2_type2 */
  framework: FrameworkKindSchema.describe("Example: soc2_type2"),
  /** The display name. Required for `custom`. @example "SOC 2 Type II" */
  name: z.string().optional().describe("The display name. Required for `custom`. Example: \"SOC 2 Type II\""),
  /** @example in_progress */
  status: FrameworkStatusSchema.describe("Example: in_progress"),
  /** What the status means in practice, in your own words. */
  summary: MarkdownSchema.optional().describe("What the status means in practice, in your own words."),
  /** The audit firm or certification body. @example "Harbour & Vale LLP" */
  auditor: z.string().optional().describe("The audit firm or certification body. Example: \"Harbour & Vale LLP\""),
  /** Where a buyer can check the auditor (AICPA peer review, accreditation body). */
  auditor_verification_url: LinkSchema.optional().describe("Where a buyer can check the auditor (AICPA peer review, accreditation body)."),
  /** The audit period, for period-based attestations. */
  period: AuditPeriodSchema.optional().describe("The audit period, for period-based attestations."),
  /** When the certificate or report was issued. @example 2026-08-15 */
  issued_at: IsoDateSchema.optional().describe("When the certificate or report was issued. Example: 2026-08-15"),
  /** When the certificate stops being valid. Past this date it renders as expired. @example 2029-08-14 */
  expires_at: IsoDateSchema.optional().describe("When the certificate stops being valid. Past this date it renders as expired. Example: 2029-08-14"),
  /** What systems and services the audit covered. */
  scope: z.string().optional().describe("What systems and services the audit covered."),
  /** How to get the report. */
  report: ReportSchema.optional().describe("How to get the report."),
  /** For `in_progress` and `planned`: when you expect to finish. @example 2027-03-31 */
  target_date: IsoDateSchema.optional().describe("For `in_progress` and `planned`: when you expect to finish. Example: 2027-03-31"),
});

export const ComplianceSchema = z.strictObject({
  /**
   * A SOC 2 report is stale when its period ended more than this many days ago. 455 days is a
   * twelve-month cycle plus the three months auditors usually take to issue. @example 455
   */
  soc2_max_age_days: z.int().positive().default(455).describe("A SOC 2 report is stale when its period ended more than this many days ago. 455 days is a twelve-month cycle plus the three months auditors usually take to issue. Example: 455"),
  /** An introduction to the compliance page. */
  intro: MarkdownSchema.optional().describe("An introduction to the compliance page."),
  frameworks: z.array(FrameworkSchema).default([]),
});

export type FrameworkKind = z.output<typeof FrameworkKindSchema>;
export type FrameworkStatus = z.output<typeof FrameworkStatusSchema>;
export type Framework = z.output<typeof FrameworkSchema>;
export type Compliance = z.output<typeof ComplianceSchema>;
