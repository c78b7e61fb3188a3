import { z } from 'zod';
import { IsoDateSchema, LinkSchema, MarkdownSchema } from './common.js';

/** A past incident, disclosed. */
export const IncidentSchema = z.strictObject({
  /** @example 2026-04-02 */
  date: IsoDateSchema.describe("Example: 2026-04-02"),
  /** @example "Delayed sign-in emails" */
  title: z.string().min(1).describe("Example: \"Delayed sign-in emails\""),
  summary: MarkdownSchema,
  /** Whether customer data was affected. */
  customer_data_affected: z.boolean().default(false).describe("Whether customer data was affected."),
  /** A post-incident report. */
  report_url: LinkSchema.optional().describe("A post-incident report."),
});

export const IncidentResponseSchema = z.strictObject({
  /** Hours from discovery (or confirmation) to customer notice. @example 72 */
  notification_hours: z.int().positive().describe("Hours from discovery (or confirmation) to customer notice. Example: 72"),
  /** What starts the clock. @example "confirmed breach" */
  notification_trigger: z.string().default('discovery').describe("What starts the clock. Example: \"confirmed breach\""),
  /** @example https://status.example.com */
  status_page: z.url().optional().describe("Example: https://status.example.com"),
  /** Further commitments: updates, post-incident reports, a named team. */
  commitments: z.array(z.string()).default([]).describe("Further commitments: updates, post-incident reports, a named team."),
  /** Past incidents. Empty with `history_statement` says "none to date". */
  history: z.array(IncidentSchema).default([]).describe("Past incidents. Empty with `history_statement` says \"none to date\"."),
  /** @example "We have had no security incidents affecting customer data." */
  history_statement: z.string().optional().describe("Example: \"We have had no security incidents affecting customer data.\""),
});

export type IncidentResponse = z.output<typeof IncidentResponseSchema>;
