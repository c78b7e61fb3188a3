import { z } from 'zod';
import { LinkSchema, MarkdownSchema } from './common.js';

/** One cookie or storage item the product sets. */
export const CookieSchema = z.strictObject({
  /** The cookie name or pattern. @example session */
  name: z.string().min(1).describe("The cookie name or pattern. Example: session"),
  /** @example "Keeps you signed in" */
  purpose: z.string().min(1).describe("Example: \"Keeps you signed in\""),
  /** @example strictly_necessary */
  category: z.enum(['strictly_necessary', 'functional', 'analytics', 'marketing']).describe("Example: strictly_necessary"),
  /** @example "7 days" */
  duration: z.string().min(1).describe("Example: \"7 days\""),
  /** @example first */
  party: z.enum(['first', 'third']).describe("Example: first"),
  /** For third-party cookies: who sets it. */
  provider: z.string().optional().describe("For third-party cookies: who sets it."),
  /** Where it is stored. @example cookie */
  storage: z.enum(['cookie', 'local_storage', 'session_storage']).default('cookie').describe("Where it is stored. Example: cookie"),
});

/** A data-subject right and how to exercise it. */
export const RightSchema = z.strictObject({
  /** @example "Access (GDPR Art. 15)" */
  right: z.string().min(1).describe("Example: \"Access (GDPR Art. 15)\""),
  /** @example "Email privacy@example.com; we answer within 30 days." */
  how: MarkdownSchema.describe("Example: \"Email privacy@example.com; we answer within 30 days.\""),
});

/** A transfer of personal data to another country. */
export const TransferSchema = z.strictObject({
  /** @example "United States" */
  destination: z.string().min(1).describe("Example: \"United States\""),
  /** @example "EU SCCs (2021/914) and the UK IDTA" */
  mechanism: z.string().min(1).describe("Example: \"EU SCCs (2021/914) and the UK IDTA\""),
  notes: z.string().optional(),
});

export const PrivacySchema = z.strictObject({
  intro: MarkdownSchema.optional(),
  /** Links to the privacy policy, DPA and similar. */
  policy_url: LinkSchema.optional().describe("Links to the privacy policy, DPA and similar."),
  cookies: z.array(CookieSchema).default([]),
  rights: z.array(RightSchema).default([]),
  transfers: z.array(TransferSchema).default([]),
  /** Whether customer data trains any model. @example "No customer data is used to train models." */
  ai_training: z.string().optional().describe("Whether customer data trains any model. Example: \"No customer data is used to train models.\""),
});

export type Privacy = z.output<typeof PrivacySchema>;
export type Cookie = z.output<typeof CookieSchema>;
