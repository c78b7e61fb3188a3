import { z } from 'zod';
import { IsoDateSchema, MarkdownSchema } from './common.js';

/** A category of events written to the audit log. */
export const AuditEventCategorySchema = z.strictObject({
  /** @example "Downloads" */
  name: z.string().min(1).describe("Example: \"Downloads\""),
  /** @example "Every skill download, with member, time and version." */
  description: z.string().optional().describe("Example: \"Every skill download, with member, time and version.\""),
});

/**
 * An Ed25519 public key that signs audit-chain checkpoints. Published in
 * `/.well-known/audit-keys.json` so `stela-audit verify --keys` and the verify page can check
 * exports. The key id is computed (RFC 7638 thumbprint); you only give `x`.
 */
export const AuditKeySchema = z.strictObject({
  /** The raw 32-byte public key, base64url without padding (the JWK `x` member). */
  x: z.string().regex(/^[A-Za-z0-9_-]{43}$/, { error: 'Expected a 43-character base64url Ed25519 public key (JWK "x").' }).describe("The raw 32-byte public key, base64url without padding (the JWK `x` member)."),
  /** First day the key signs checkpoints. @example 2026-01-01 */
  valid_from: IsoDateSchema.optional().describe("First day the key signs checkpoints. Example: 2026-01-01"),
  /** Last day the key signs checkpoints. Older checkpoints still verify. @example 2026-12-31 */
  valid_until: IsoDateSchema.optional().describe("Last day the key signs checkpoints. Older checkpoints still verify. Example: 2026-12-31"),
});

export const AuditLoggingSchema = z.strictObject({
  intro: MarkdownSchema.optional(),
  event_categories: z.array(AuditEventCategorySchema).default([]),
  /** @example "Kept for the life of the organisation" */
  retention: z.string().optional().describe("Example: \"Kept for the life of the organisation\""),
  /** @example "CSV from the admin dashboard, any time" */
  export: MarkdownSchema.optional().describe("Example: \"CSV from the admin dashboard, any time\""),
  /** Whether the log is append-only and hash-chained. @example true */
  tamper_evident: z.boolean().default(false).describe("Whether the log is append-only and hash-chained. Example: true"),
  keys: z.array(AuditKeySchema).default([]),
});

export type AuditLogging = z.output<typeof AuditLoggingSchema>;
export type AuditKey = z.output<typeof AuditKeySchema>;
