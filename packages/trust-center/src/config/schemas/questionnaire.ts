import { z } from 'zod';
import { EvidenceLinkSchema, IsoDateSchema, MarkdownSchema, SlugSchema } from './common.js';

/** One question and its public answer. */
export const AnswerSchema = z.strictObject({
  /** A stable id, unique across the questionnaire. Defaults to `<category>-<n>`. */
  id: SlugSchema.optional(),
  /** A CSA CAIQ v4 question id this answers. @example IAM-14.1 */
  caiq_id: z.string().regex(/^[A-Z&]{3}-\d{2}(\.\d+)?$/, { error: 'Expected a CAIQ v4 id such as "IAM-14.1".' }).optional(),
  /** @example "Does the product support multi-factor authentication?" */
  question: z.string().min(1),
  /** A one-word answer for tables and exports. @example partial */
  short_answer: z.enum(['yes', 'no', 'partial', 'not_applicable']).optional(),
  /** The full answer. */
  answer: MarkdownSchema,
  evidence: z.array(EvidenceLinkSchema).default([]),
  /** When the answer was last checked. @example 2026-03-01 */
  reviewed_at: IsoDateSchema,
});

export const QuestionCategorySchema = z.strictObject({
  /** @example authentication */
  id: SlugSchema,
  /** @example "Authentication and access" */
  title: z.string().min(1),
  questions: z.array(AnswerSchema).min(1),
});

/** Questionnaire answers in categories, searchable on the site and exported in trust.json. */
export const QuestionnaireSchema = z.strictObject({
  intro: MarkdownSchema.optional(),
  /** An answer is stale when `reviewed_at` is older than this. @example 365 */
  review_interval_days: z.int().positive().default(365),
  categories: z.array(QuestionCategorySchema).default([]),
});

export type Answer = z.output<typeof AnswerSchema>;
export type Questionnaire = z.output<typeof QuestionnaireSchema>;
