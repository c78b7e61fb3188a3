import { z } from 'zod';
import { ControlStatusSchema, EvidenceLinkSchema, IsoDateSchema, MarkdownSchema, SlugSchema } from './common.js';

/** One security control or commitment. */
export const ControlSchema = z.strictObject({
  /** A stable id, unique across all sections. Defaults to a slug of the title. @example tls-everywhere */
  id: SlugSchema.optional(),
  /** The claim, in one line. @example "TLS 1.2 or higher on every public endpoint" */
  title: z.string().min(1),
  /** `in_place`, `in_progress`, `planned`, `not_pursued` or `not_applicable`. @example in_place */
  status: ControlStatusSchema,
  /** The detail a reviewer needs: how, where, and honest limits. */
  details: MarkdownSchema.optional(),
  /** Links that back the claim. */
  evidence: z.array(EvidenceLinkSchema).default([]),
  /** The team or role that owns the control. @example "Platform team" */
  owner: z.string().optional(),
  /** When someone last checked this statement is still true. @example 2026-05-01 */
  reviewed_at: IsoDateSchema.optional(),
  /** For anything not in place: when you expect it to be. @example 2026-12-31 */
  target_date: IsoDateSchema.optional(),
  /** Earlier target dates that slipped, oldest first. Shown so the register stays honest. */
  slipped_from: z.array(IsoDateSchema).default([]),
});

/** A group of controls, such as infrastructure, application, data, AI or access. */
export const ControlSectionSchema = z.strictObject({
  /** @example infrastructure */
  id: SlugSchema,
  /** @example "Infrastructure security" */
  title: z.string().min(1),
  /** An optional introduction to the section. */
  description: MarkdownSchema.optional(),
  /** The controls in this section. */
  items: z.array(ControlSchema).min(1),
});

/** Controls grouped in sections. Items not `in_place` form the known-gaps register. */
export const ControlsSchema = z.strictObject({
  /** A statement is stale when its `reviewed_at` is older than this many days. @example 365 */
  review_interval_days: z.int().positive().default(365),
  /** An introduction to the "what we're still building" register. */
  gaps_intro: MarkdownSchema.optional(),
  sections: z.array(ControlSectionSchema).default([]),
});

export type Control = z.output<typeof ControlSchema>;
export type ControlSection = z.output<typeof ControlSectionSchema>;
export type Controls = z.output<typeof ControlsSchema>;
