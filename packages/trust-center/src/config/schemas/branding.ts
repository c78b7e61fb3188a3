import { z } from 'zod';

const Hex = z.string().regex(/^#[0-9a-fA-F]{6}$/, { error: 'Expected a 6-digit hex colour such as "#1d4ed8".' });

/** Colours for the generated site. Component overrides live in the integration options. */
export const BrandingSchema = z.strictObject({
  /** Links, buttons and headings. Must keep 4.5:1 contrast on white. @example "#1d4ed8" */
  primary_color: Hex.default('#1d4ed8').describe("Links, buttons and headings. Must keep 4.5:1 contrast on white. Example: \"#1d4ed8\""),
  /** Page text. @example "#111827" */
  text_color: Hex.default('#111827').describe("Page text. Example: \"#111827\""),
  /** Page background. @example "#ffffff" */
  background_color: Hex.default('#ffffff').describe("Page background. Example: \"#ffffff\""),
  /** The language of the site, as a BCP 47 tag. @example en */
  lang: z.string().default('en').describe("The language of the site, as a BCP 47 tag. Example: en"),
});

export type Branding = z.output<typeof BrandingSchema>;
