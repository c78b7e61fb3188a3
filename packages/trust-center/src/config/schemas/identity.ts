import { z } from 'zod';
import { ControlStatusSchema, IsoDateSchema, MarkdownSchema } from './common.js';

/** A feature with a status, such as SSO, SCIM or MFA. */
export const IdentityFeatureSchema = z.strictObject({
  /** @example in_progress */
  status: ControlStatusSchema.describe("Example: in_progress"),
  /** @example "SAML 2.0 and OIDC; Okta, Entra ID and Google Workspace tested" */
  details: MarkdownSchema.optional().describe("Example: \"SAML 2.0 and OIDC; Okta, Entra ID and Google Workspace tested\""),
  /** @example 2026-09-30 */
  target_date: IsoDateSchema.optional().describe("Example: 2026-09-30"),
});

/** A way to sign in. */
export const AuthMethodSchema = z.strictObject({
  /** @example "Email magic link" */
  name: z.string().min(1).describe("Example: \"Email magic link\""),
  status: ControlStatusSchema.default('in_place'),
  details: MarkdownSchema.optional(),
});

/** A role and what it may do. */
export const RoleSchema = z.strictObject({
  /** @example Administrator */
  name: z.string().min(1).describe("Example: Administrator"),
  /** @example "Manages members, policies and billing." */
  description: z.string().optional().describe("Example: \"Manages members, policies and billing.\""),
  /** @example ["Invite members", "Export the audit log"] */
  permissions: z.array(z.string()).default([]).describe("Example: [\"Invite members\", \"Export the audit log\"]"),
});

/** Identity and access management. */
export const IdentitySchema = z.strictObject({
  intro: MarkdownSchema.optional(),
  methods: z.array(AuthMethodSchema).default([]),
  sso: IdentityFeatureSchema.optional(),
  scim: IdentityFeatureSchema.optional(),
  mfa: IdentityFeatureSchema.optional(),
  /** Session lifetime and cookie rules, as text. @example "Sessions end after 7 days" */
  sessions: z.string().optional().describe("Session lifetime and cookie rules, as text. Example: \"Sessions end after 7 days\""),
  roles: z.array(RoleSchema).default([]),
});

export type Identity = z.output<typeof IdentitySchema>;
export type IdentityFeature = z.output<typeof IdentityFeatureSchema>;
