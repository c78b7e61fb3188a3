import { z } from 'zod';
import { LinkSchema, MarkdownSchema } from './common.js';

/** One cookie or storage item the product sets. */
export const CookieSchema = z.strictObject({
  /** The cookie name or pattern. @example session */
  name: z.string().min(1),
  /** @example "Keeps you signed in" */
  purpose: z.string().min(1),
  /** @example strictly_necessary */
  category: z.enum(['strictly_necessary', 'functional', 'analytics', 'marketing']),
  /** @example "7 days" */
  duration: z.string().min(1),
  /** @example first */
  party: z.enum(['first', 'third']),
  /** For third-party cookies: who sets it. */
  provider: z.string().optional(),
  /** Where it is stored. @example cookie */
  storage: z.enum(['cookie', 'local_storage', 'session_storage']).default('cookie'),
});

/** A data-subject right and how to exercise it. */
export const RightSchema = z.strictObject({
  /** @example "Access (GDPR Art. 15)" */
  right: z.string().min(1),
  /** @example "Email privacy@example.com; we answer within 30 days." */
  how: MarkdownSchema,
});

/** A transfer of personal data to another country. */
export const TransferSchema = z.strictObject({
  /** @example "United States" */
  destination: z.string().min(1),
  /** @example "EU SCCs (2021/914) and the UK IDTA" */
  mechanism: z.string().min(1),
  notes: z.string().optional(),
});

export const PrivacySchema = z.strictObject({
  intro: MarkdownSchema.optional(),
  /** Links to the privacy policy, DPA and similar. */
  policy_url: LinkSchema.optional(),
  cookies: z.array(CookieSchema).default([]),
  rights: z.array(RightSchema).default([]),
  transfers: z.array(TransferSchema).default([]),
  /** Whether customer data trains any model. @example "No customer data is used to train models." */
  ai_training: z.string().optional(),
});

export type Privacy = z.output<typeof PrivacySchema>;
export type Cookie = z.output<typeof CookieSchema>;
