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
  name: z.string().min(1),
  /** The contracting entity. @example "Nimbus Cloud EMEA Ltd" */
  legal_entity: z.string().optional(),
  /** @example https://nimbus.example */
  url: z.url().optional(),
  /** What they do for you. @example "Primary database hosting" */
  purpose: z.string().min(1),
  /** A short grouping used for filtering. @example hosting */
  category: z.string().optional(),
  /** The categories of personal data they process. @example ["account data", "usage records"] */
  data_categories: z.array(z.string()).default([]),
  /** Countries or regions where data is processed. @example ["Ireland", "Germany"] */
  locations: z.array(z.string()).min(1),
  /** Their own certifications, as free text. @example ["SOC 2 Type II", "ISO 27001"] */
  certifications: z.array(z.string()).default([]),
  /** The transfer tool relied on for this sub-processor. @example eu_sccs */
  transfer_mechanism: TransferMechanismSchema.optional(),
  /** Their data processing agreement. */
  dpa_url: LinkSchema.optional(),
  /** When customers were told about this sub-processor. Starts the objection window. @example 2026-01-05 */
  announced_at: IsoDateSchema.optional(),
  /** When the sub-processor starts (or started) processing customer data. @example 2026-02-05 */
  effective_from: IsoDateSchema,
  /** When processing stopped. Ended entries stay in the history and the feed. @example 2026-09-30 */
  ended_at: IsoDateSchema.optional(),
  /** Anything a reviewer should know. */
  notes: z.string().optional(),
});

/** The sub-processor list, current and past. */
export const SubprocessorsSchema = z.strictObject({
  /** Days between `announced_at` and `effective_from` that customers get to object. @example 30 */
  notice_days: z.int().nonnegative().default(30),
  /** How customers subscribe to changes, besides the Atom feed. @example https://quillby.example/subscribe */
  subscribe_url: LinkSchema.optional(),
  /** An introduction shown above the list. */
  intro: z.string().optional(),
  entries: z.array(SubprocessorSchema).default([]),
});

export type Subprocessor = z.output<typeof SubprocessorSchema>;
export type Subprocessors = z.output<typeof SubprocessorsSchema>;
export type TransferMechanism = z.output<typeof TransferMechanismSchema>;
