import { z } from 'zod';
import { ContactSchema, IsoDateSchema, LinkSchema, MarkdownSchema } from './common.js';

/**
 * RFC 9116 fields for `/.well-known/security.txt`. `Contact` falls back to
 * `organisation.contacts.security`, `Canonical` to `<trust_url>/.well-known/security.txt`.
 */
export const SecurityTxtSchema = z.strictObject({
  /** RFC 9116 §2.5.3, most preferred first. @example ["mailto:security@example.com"] */
  contact: z.array(ContactSchema).default([]).describe("RFC 9116 §2.5.3, most preferred first. Example: [\"mailto:security@example.com\"]"),
  /**
   * A fixed `Expires` date (RFC 9116 §2.5.5). Leave it out and the build writes
   * `now + expires_in_days`, so the file never goes stale between builds. @example 2027-01-31
   */
  expires: IsoDateSchema.optional().describe("A fixed `Expires` date (RFC 9116 §2.5.5). Leave it out and the build writes `now + expires_in_days`, so the file never goes stale between builds. Example: 2027-01-31"),
  /** Days from the build to `Expires` when `expires` is not set. @example 180 */
  expires_in_days: z.int().min(1).max(365).default(180).describe("Days from the build to `Expires` when `expires` is not set. Example: 180"),
  /** §2.5.4: URIs of keys for encrypted reports. @example ["https://example.com/pgp-key.txt"] */
  encryption: z.array(z.string()).default([]).describe("§2.5.4: URIs of keys for encrypted reports. Example: [\"https://example.com/pgp-key.txt\"]"),
  /** §2.5.1: a page that thanks researchers. */
  acknowledgments: z.array(z.url()).default([]).describe("§2.5.1: a page that thanks researchers."),
  /** §2.5.8: language tags, at most one line. @example ["en", "de"] */
  preferred_languages: z.array(z.string().regex(/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/)).default([]).describe("§2.5.8: language tags, at most one line. Example: [\"en\", \"de\"]"),
  /** §2.5.2: where the file lives. */
  canonical: z.array(z.url()).default([]).describe("§2.5.2: where the file lives."),
  /** §2.5.7: the disclosure policy. */
  policy: z.array(z.url()).default([]).describe("§2.5.7: the disclosure policy."),
  /** §2.5.6: security jobs. */
  hiring: z.array(z.url()).default([]).describe("§2.5.6: security jobs."),
  /** IANA extension (OASIS CSAF 2.0 §7.1.8): URL of `provider-metadata.json`. */
  csaf: z.array(z.url()).default([]).describe("IANA extension (OASIS CSAF 2.0 §7.1.8): URL of `provider-metadata.json`."),
});

/** A researcher credited for a report. */
export const AcknowledgementSchema = z.strictObject({
  /** @example "Ada Okafor" */
  name: z.string().min(1).describe("Example: \"Ada Okafor\""),
  /** @example 2026-02-11 */
  date: IsoDateSchema.describe("Example: 2026-02-11"),
  /** @example "Reported an open redirect on the sign-in page." */
  summary: z.string().optional().describe("Example: \"Reported an open redirect on the sign-in page.\""),
  url: z.url().optional(),
});

/** The vulnerability disclosure programme. */
export const DisclosureSchema = z.strictObject({
  /** The policy, in your words: scope, what to include, what not to do. */
  policy: MarkdownSchema.describe("The policy, in your words: scope, what to include, what not to do."),
  /** The safe-harbour promise for good-faith research. */
  safe_harbour: MarkdownSchema.optional().describe("The safe-harbour promise for good-faith research."),
  /** How fast you acknowledge a report. @example "Two business days" */
  response_time: z.string().optional().describe("How fast you acknowledge a report. Example: \"Two business days\""),
  bug_bounty: z
    .strictObject({
      /** @example none */
      status: z.enum(['none', 'private', 'public']).describe("Example: none"),
      url: LinkSchema.optional(),
      details: z.string().optional(),
    })
    .default({ status: 'none' }),
  acknowledgements: z.array(AcknowledgementSchema).default([]),
  security_txt: SecurityTxtSchema.default({
    contact: [],
    expires_in_days: 180,
    encryption: [],
    acknowledgments: [],
    preferred_languages: [],
    canonical: [],
    policy: [],
    hiring: [],
    csaf: [],
  }),
});

export type Disclosure = z.output<typeof DisclosureSchema>;
export type SecurityTxt = z.output<typeof SecurityTxtSchema>;
