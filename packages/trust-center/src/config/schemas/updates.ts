import { z } from 'zod';
import { IsoDateSchema, MarkdownSchema, SlugSchema } from './common.js';

export const UpdateCategorySchema = z.enum(['compliance', 'security', 'privacy', 'incident', 'roadmap', 'subprocessors', 'general']);

/** A dated post on the updates page and in the Atom feed. */
export const UpdateSchema = z.strictObject({
  /** Used for the feed entry id and anchor. Defaults to `<date>-<n>`. */
  id: SlugSchema.optional(),
  /** @example 2026-05-01 */
  date: IsoDateSchema,
  /** @example compliance */
  category: UpdateCategorySchema,
  /** @example "SOC 2 Type II audit window opened" */
  title: z.string().min(1),
  body: MarkdownSchema,
});

export type Update = z.output<typeof UpdateSchema>;
export type UpdateCategory = z.output<typeof UpdateCategorySchema>;
