import { z } from 'zod';
import { IsoDateSchema, LinkSchema } from './common.js';

/** A GDPR Art. 44-49 transfer tool used for a sub-processor outside the EEA/UK. */
export const TransferMechanismSchema = z.enum([
  'none_needed',
  'adequacy_decision',
  'eu_sccs',
  'uk_idta',
  'uk_addendum',
  'eu_us_dpf',
  'bcrs',
  'other',
]);

/** A third party that processes customer personal data on the vendor's behalf (GDPR Art. 28). */
export const SubprocessorSchema = z.strictObject({
  /** @example "Nimbus Cloud" */
  name: z.string().min(1).describe("Example: \"Nimbus Cloud\""),
  /** The contracting entity. @example "Nimbus Cloud EMEA Ltd" */
  legal_entity: z.string().optional().describe("The contracting entity. Example: \"Nimbus Cloud EMEA Ltd\""),
  /** @example https://nimbus.example */
  url: z.url().optional().describe("Example: https://nimbus.example"),
  /** What they do for you. @example "Primary database hosting" */
  purpose: z.string().min(1).describe("What they do for you. Example: \"Primary database hosting\""),
  /** A short grouping used for filtering. @example hosting */
  category: z.string().optional().describe("A short grouping used for filtering. Example: hosting"),
  /** The categories of personal data they process. @example ["account data", "usage records"] */
  data_categories: z.array(z.string()).default([]).describe("The categories of personal data they process. Example: [\"account data\", \"usage records\"]"),
  /** Countries or regions where data is processed. @example ["Ireland", "Germany"] */
  locations: z.array(z.string()).min(1).describe("Countries or regions where data is processed. Example: [\"Ireland\", \"Germany\"]"),
  /** Their own certifications, as free text. @example ["SOC 2 Type II", "ISO 27001"] */
  certifications: z.array(z.string()).default([]).describe("Their own certifications, as free text. Example: [\"SOC 2 Type II\", \"ISO 27001\"]"),
  /** The transfer tool relied on for this sub-processor. @example eu_sccs */
  transfer_mechanism: TransferMechanismSchema.optional().describe("The transfer tool relied on for this sub-processor. Example: eu_sccs"),
  /** Their data processing agreement. */
  dpa_url: LinkSchema.optional().describe("Their data processing agreement."),
  /** When customers were told about this sub-processor. Starts the objection window. @example 2026-01-05 */
  announced_at: IsoDateSchema.optional().describe("When customers were told about this sub-processor. Starts the objection window. Example: 2026-01-05"),
  /** When the sub-processor starts (or started) processing customer data. @example 2026-02-05 */
  effective_from: IsoDateSchema.describe("When the sub-processor starts (or started) processing customer data. Example: 2026-02-05"),
  /** When processing stopped. Ended entries stay in the history and the feed. @example 2026-09-30 */
  ended_at: IsoDateSchema.optional().describe("When processing stopped. Ended entries stay in the history and the feed. Example: 2026-09-30"),
  /** Anything a reviewer should know. */
  notes: z.string().optional().describe("Anything a reviewer should know."),
});

/** The sub-processor list, current and past. */
export const SubprocessorsSchema = z.strictObject({
  /** Days between `announced_at` and `effective_from` that customers get to object. @example 30 */
  notice_days: z.int().nonnegative().default(30).describe("Days between `announced_at` and `effective_from` that customers get to object. Example: 30"),
  /** How customers subscribe to changes, besides the Atom feed. @example https://quillby.example/subscribe */
  subscribe_url: LinkSchema.optional().describe("How customers subscribe to changes, besides the Atom feed. Example: https://quillby.example/subscribe"),
  /** An introduction shown above the list. */
  intro: z.string().optional().describe("An introduction shown above the list."),
  entries: z.array(SubprocessorSchema).default([]),
});

export type Subprocessor = z.output<typeof SubprocessorSchema>;
export type Subprocessors = z.output<typeof SubprocessorsSchema>;
export type TransferMechanism = z.output<typeof TransferMechanismSchema>;
