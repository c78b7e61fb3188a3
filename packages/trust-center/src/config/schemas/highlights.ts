import { z } from 'zod';

/** A badge at the top of the overview page: a short fact and a caption. */
export const HighlightSchema = z.strictObject({
  /** The short fact. @example "TLS 1.2+" */
  title: z.string().min(1).max(40).describe("The short fact. Example: \"TLS 1.2+\""),
  /** A caption under the fact. @example "In transit" */
  caption: z.string().max(80).optional().describe("A caption under the fact. Example: \"In transit\""),
});

export type Highlight = z.output<typeof HighlightSchema>;
