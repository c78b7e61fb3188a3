import { z } from 'zod';
import { ControlStatusSchema, IsoDateSchema, MarkdownSchema } from './common.js';

/** A feature with a status, such as SSO, SCIM or MFA. */
export const IdentityFeatureSchema = z.strictObject({
  /** @example in_progress */
  status: ControlStatusSchema,
  /** @example "SAML 2.0 and OIDC; Okta, Entra ID and Google Workspace tested" */
  details: MarkdownSchema.optional(),
  /** @example 2026-09-30 */
  target_date: IsoDateSchema.optional(),
});

/** A way to sign in. */
export const AuthMethodSchema = z.strictObject({
  /** @example "Email magic link" */
  name: z.string().min(1),
  status: ControlStatusSchema.default('in_place'),
  details: MarkdownSchema.optional(),
});

/** A role and what it may do. */
export const RoleSchema = z.strictObject({
  /** @example Administrator */
  name: z.string().min(1),
  /** @example "Manages members, policies and billing." */
  description: z.string().optional(),
  /** @example ["Invite members", "Export the audit log"] */
  permissions: z.array(z.string()).default([]),
});

/** Identity and access management. */
export const IdentitySchema = z.strictObject({
  intro: MarkdownSchema.optional(),
  methods: z.array(AuthMethodSchema).default([]),
  sso: IdentityFeatureSchema.optional(),
  scim: IdentityFeatureSchema.optional(),
  mfa: IdentityFeatureSchema.optional(),
  /** Session lifetime and cookie rules, as text. @example "Sessions end after 7 days" */
  sessions: z.string().optional(),
  roles: z.array(RoleSchema).default([]),
});

export type Identity = z.output<typeof IdentitySchema>;
export type IdentityFeature = z.output<typeof IdentityFeatureSchema>;
