import { z } from 'zod';
import { EvidenceLinkSchema, IsoDateSchema, MarkdownSchema, SlugSchema } from './common.js';

/** One question and its public answer. */
export const AnswerSchema = z.strictObject({
  /** A stable id, unique across the questionnaire. Defaults to `<category>-<n>`. */
  id: SlugSchema.optional().describe("A stable id, unique across the questionnaire. Defaults to `<category>-<n>`."),
  /** A CSA CAIQ v4 question id this answers. @example IAM-14.1 */
  caiq_id: z.string().regex(/^[A-Z&]{3}-\d{2}(\.\d+)?$/, { error: 'Expected a CAIQ v4 id such as "IAM-14.1".' }).optional().describe("A CSA CAIQ v4 question id this answers. Example: IAM-14.1"),
  /** @example "Does the product support multi-factor authentication?" */
  question: z.string().min(1).describe("Example: \"Does the product support multi-factor authentication?\""),
  /** A one-word answer for tables and exports. @example partial */
  short_answer: z.enum(['yes', 'no', 'partial', 'not_applicable']).optional().describe("A one-word answer for tables and exports. Example: partial"),
  /** The full answer. */
  answer: MarkdownSchema.describe("The full answer."),
  evidence: z.array(EvidenceLinkSchema).default([]),
  /** When the answer was last checked. @example 2026-03-01 */
  reviewed_at: IsoDateSchema.describe("When the answer was last checked. Example: 2026-03-01"),
});

export const QuestionCategorySchema = z.strictObject({
  /** @example authentication */
  id: SlugSchema.describe("Example: authentication"),
  /** @example "Authentication and access" */
  title: z.string().min(1).describe("Example: \"Authentication and access\""),
  questions: z.array(AnswerSchema).min(1),
});

/** Questionnaire answers in categories, searchable on the site and exported in trust.json. */
export const QuestionnaireSchema = z.strictObject({
  intro: MarkdownSchema.optional(),
  /** An answer is stale when `reviewed_at` is older than this. @example 365 */
  review_interval_days: z.int().positive().default(365).describe("An answer is stale when `reviewed_at` is older than this. Example: 365"),
  categories: z.array(QuestionCategorySchema).default([]),
});

export type Answer = z.output<typeof AnswerSchema>;
export type Questionnaire = z.output<typeof QuestionnaireSchema>;
