import { z } from 'zod';
import { IsoDateSchema, MarkdownSchema, SlugSchema } from './common.js';

export const UpdateCategorySchema = z.enum(['compliance', 'security', 'privacy', 'incident', 'roadmap', 'subprocessors', 'general']);

/** A dated post on the updates page and in the Atom feed. */
export const UpdateSchema = z.strictObject({
  /** Used for the feed entry id and anchor. Defaults to `<date>-<n>`. */
  id: SlugSchema.optional().describe("Used for the feed entry id and anchor. Defaults to `<date>-<n>`."),
  /** @example 2026-05-01 */
  date: IsoDateSchema.describe("Example: 2026-05-01"),
  /** @example compliance */
  category: UpdateCategorySchema.describe("Example: compliance"),
  /** @example "SOC 2 Type II audit window opened" */
  title: z.string().min(1).describe("Example: \"SOC 2 Type II audit window opened\""),
  body: MarkdownSchema,
});

export type Update = z.output<typeof UpdateSchema>;
export type UpdateCategory = z.output<typeof UpdateCategorySchema>;
