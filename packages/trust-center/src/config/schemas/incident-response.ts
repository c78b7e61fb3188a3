import { z } from 'zod';
import { IsoDateSchema, LinkSchema, MarkdownSchema } from './common.js';

/** A past incident, disclosed. */
export const IncidentSchema = z.strictObject({
  /** @example 2026-04-02 */
  date: IsoDateSchema,
  /** @example "Delayed sign-in emails" */
  title: z.string().min(1),
  summary: MarkdownSchema,
  /** Whether customer data was affected. */
  customer_data_affected: z.boolean().default(false),
  /** A post-incident report. */
  report_url: LinkSchema.optional(),
});

export const IncidentResponseSchema = z.strictObject({
  /** Hours from discovery (or confirmation) to customer notice. @example 72 */
  notification_hours: z.int().positive(),
  /** What starts the clock. @example "confirmed breach" */
  notification_trigger: z.string().default('discovery'),
  /** @example https://status.example.com */
  status_page: z.url().optional(),
  /** Further commitments: updates, post-incident reports, a named team. */
  commitments: z.array(z.string()).default([]),
  /** Past incidents. Empty with `history_statement` says "none to date". */
  history: z.array(IncidentSchema).default([]),
  /** @example "We have had no security incidents affecting customer data." */
  history_statement: z.string().optional(),
});

export type IncidentResponse = z.output<typeof IncidentResponseSchema>;
