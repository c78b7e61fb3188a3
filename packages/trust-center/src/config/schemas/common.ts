import { z } from 'zod';

/**
 * A calendar date in ISO 8601 form (`YYYY-MM-DD`). Dates stay strings so that the config, the
 * JSON outputs and the rendered pages all show exactly what the vendor wrote.
 *
 * @example 2026-03-31
 */
export const IsoDateSchema = z.iso.date({ error: 'Expected a date in the form YYYY-MM-DD.' });

/**
 * An absolute `https:` or `http:` URL, or a site-relative path that starts with `/`.
 *
 * @example https://example.com/dpa.pdf
 * @example /legal/dpa
 */
export const LinkSchema = z
  .string()
  .min(1)
  .refine((v) => v.startsWith('/') || /^https?:\/\/[^\s]+$/.test(v), {
    error: 'Expected an https:// URL or a path starting with "/".',
  });

/**
 * A contact address: an email address, or a `mailto:`, `https:` or `tel:` URI. A bare email
 * address is normalised to `mailto:` when it is written to security.txt.
 *
 * @example security@example.com
 * @example https://example.com/security/report
 */
export const ContactSchema = z
  .string()
  .min(3)
  .refine((v) => /^(mailto:|https:\/\/|tel:)\S+$/.test(v) || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v), {
    error: 'Expected an email address or a mailto:, https:// or tel: URI.',
  });

/**
 * Markdown text. Supports paragraphs, `-` lists, `**bold**`, `*emphasis*`, `` `code` `` and
 * `[links](https://…)`. Raw HTML is escaped, never rendered.
 *
 * @example "We notify affected customers within **72 hours**."
 */
export const MarkdownSchema = z.string();

/** A labelled link to evidence: a report, a policy, a status page, a public repository. */
export const EvidenceLinkSchema = z.strictObject({
  /** @example "Penetration test summary (2026)" */
  label: z.string().min(1).describe("Example: \"Penetration test summary (2026)\""),
  /** @example https://example.com/pentest-2026.pdf */
  url: LinkSchema.describe("Example: https://example.com/pentest-2026.pdf"),
});

/**
 * The lifecycle of a control, an identity feature or any other claim. Everything that is not
 * `in_place` belongs to the "what we're still building" register.
 */
export const ControlStatusSchema = z.enum(['in_place', 'in_progress', 'planned', 'not_pursued', 'not_applicable']);

/** Who may read a document or report. */
export const AccessLevelSchema = z.enum(['public', 'on_request', 'nda']);

/** A lower-case, dash-separated identifier used in URLs and anchors. @example infrastructure */
export const SlugSchema = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { error: 'Expected a lower-case slug such as "data-security".' });

export type IsoDate = z.output<typeof IsoDateSchema>;
export type ControlStatus = z.output<typeof ControlStatusSchema>;
export type AccessLevel = z.output<typeof AccessLevelSchema>;
export type EvidenceLink = z.output<typeof EvidenceLinkSchema>;
