import { z } from 'zod';
import { AccessLevelSchema, IsoDateSchema, LinkSchema } from './common.js';

/** A policy or document a buyer may ask for. */
export const DocumentSchema = z.strictObject({
  /** @example "Information security policy" */
  title: z.string().min(1),
  /** @example "2.1" */
  version: z.string().optional(),
  /** @example 2026-01-15 */
  effective_at: IsoDateSchema.optional(),
  /** When the document is due for review. @example 2027-01-15 */
  review_by: IsoDateSchema.optional(),
  /** @example "Head of Security" */
  owner: z.string().optional(),
  summary: z.string().optional(),
  /** @example on_request */
  access: AccessLevelSchema,
  /** A download link (public) or how to request it. */
  url: LinkSchema.optional(),
});

export type TrustDocument = z.output<typeof DocumentSchema>;
