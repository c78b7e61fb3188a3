import { z } from 'zod';
import { MarkdownSchema, SlugSchema } from './common.js';

/** A typed table: every row has one cell per column. */
export const CustomTableSchema = z.strictObject({
  /** @example "API rate limits" */
  caption: z.string().min(1).describe("Example: \"API rate limits\""),
  /** @example ["Limit", "Value"] */
  columns: z.array(z.string().min(1)).min(1).describe("Example: [\"Limit\", \"Value\"]"),
  /** @example [["Sustained", "300 requests/minute"]] */
  rows: z.array(z.array(z.string())).describe("Example: [[\"Sustained\", \"300 requests/minute\"]]"),
});

/** Anything else the vendor needs to say, shown on the overview page. */
export const CustomSectionSchema = z.strictObject({
  /** @example ai-connectors */
  id: SlugSchema.describe("Example: ai-connectors"),
  /** @example "AI connector security" */
  title: z.string().min(1).describe("Example: \"AI connector security\""),
  body: MarkdownSchema.optional(),
  tables: z.array(CustomTableSchema).default([]),
});

export type CustomSection = z.output<typeof CustomSectionSchema>;
export type CustomTable = z.output<typeof CustomTableSchema>;
