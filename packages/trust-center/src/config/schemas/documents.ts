import { z } from 'zod';
import { AccessLevelSchema, IsoDateSchema, LinkSchema } from './common.js';

/** A policy or document a buyer may ask for. */
export const DocumentSchema = z.strictObject({
  /** @example "Information security policy" */
  title: z.string().min(1).describe("Example: \"Information security policy\""),
  /** @example "2.1" */
  version: z.string().optional().describe("Example: \"2.1\""),
  /** @example 2026-01-15 */
  effective_at: IsoDateSchema.optional().describe("Example: 2026-01-15"),
  /** When the document is due for review. @example 2027-01-15 */
  review_by: IsoDateSchema.optional().describe("When the document is due for review. Example: 2027-01-15"),
  /** @example "Head of Security" */
  owner: z.string().optional().describe("Example: \"Head of Security\""),
  summary: z.string().optional(),
  /** @example on_request */
  access: AccessLevelSchema.describe("Example: on_request"),
  /** A download link (public) or how to request it. */
  url: LinkSchema.optional().describe("A download link (public) or how to request it."),
});

export type TrustDocument = z.output<typeof DocumentSchema>;
