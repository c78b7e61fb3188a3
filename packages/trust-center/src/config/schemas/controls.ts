import { z } from 'zod';
import { ControlStatusSchema, EvidenceLinkSchema, IsoDateSchema, MarkdownSchema, SlugSchema } from './common.js';

/** One security control or commitment. */
export const ControlSchema = z.strictObject({
  /** A stable id, unique across all sections. Defaults to a slug of the title. @example tls-everywhere */
  id: SlugSchema.optional().describe("A stable id, unique across all sections. Defaults to a slug of the title. Example: tls-everywhere"),
  /** The claim, in one line. @example "TLS 1.2 or higher on every public endpoint" */
  title: z.string().min(1).describe("The claim, in one line. Example: \"TLS 1.2 or higher on every public endpoint\""),
  /** `in_place`, `in_progress`, `planned`, `not_pursued` or `not_applicable`. @example in_place */
  status: ControlStatusSchema.describe("`in_place`, `in_progress`, `planned`, `not_pursued` or `not_applicable`. Example: in_place"),
  /** The detail a reviewer needs: how, where, and honest limits. */
  details: MarkdownSchema.optional().describe("The detail a reviewer needs: how, where, and honest limits."),
  /** Links that back the claim. */
  evidence: z.array(EvidenceLinkSchema).default([]).describe("Links that back the claim."),
  /** The team or role that owns the control. @example "Platform team" */
  owner: z.string().optional().describe("The team or role that owns the control. Example: \"Platform team\""),
  /** When someone last checked this statement is still true. @example 2026-05-01 */
  reviewed_at: IsoDateSchema.optional().describe("When someone last checked this statement is still true. Example: 2026-05-01"),
  /** For anything not in place: when you expect it to be. @example 2026-12-31 */
  target_date: IsoDateSchema.optional().describe("For anything not in place: when you expect it to be. Example: 2026-12-31"),
  /** Earlier target dates that slipped, oldest first. Shown so the register stays honest. */
  slipped_from: z.array(IsoDateSchema).default([]).describe("Earlier target dates that slipped, oldest first. Shown so the register stays honest."),
});

/** A group of controls, such as infrastructure, application, data, AI or access. */
export const ControlSectionSchema = z.strictObject({
  /** @example infrastructure */
  id: SlugSchema.describe("Example: infrastructure"),
  /** @example "Infrastructure security" */
  title: z.string().min(1).describe("Example: \"Infrastructure security\""),
  /** An optional introduction to the section. */
  description: MarkdownSchema.optional().describe("An optional introduction to the section."),
  /** The controls in this section. */
  items: z.array(ControlSchema).min(1).describe("The controls in this section."),
});

/** Controls grouped in sections. Items not `in_place` form the known-gaps register. */
export const ControlsSchema = z.strictObject({
  /** A statement is stale when its `reviewed_at` is older than this many days. @example 365 */
  review_interval_days: z.int().positive().default(365).describe("A statement is stale when its `reviewed_at` is older than this many days. Example: 365"),
  /** An introduction to the "what we're still building" register. */
  gaps_intro: MarkdownSchema.optional().describe("An introduction to the \"what we're still building\" register."),
  sections: z.array(ControlSectionSchema).default([]),
});

export type Control = z.output<typeof ControlSchema>;
export type ControlSection = z.output<typeof ControlSectionSchema>;
export type Controls = z.output<typeof ControlsSchema>;
