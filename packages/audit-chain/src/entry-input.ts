/**
 * What a host application passes to `append`: the zod schema, and the rules every string in an
 * entry must satisfy before it can be hashed (SPEC.md §3).
 */
import { z } from 'zod';
import { canonicalJson, isWellFormed, type JsonValue } from './canonical-json.js';
import { AuditChainError } from './errors.js';
import { utf8 } from './bytes.js';

/** Largest metadata object, measured as the UTF-8 length of its JCS text (SPEC.md §3.4). */
export const METADATA_MAX_BYTES = 16_384;

// C0 controls, DEL and C1 controls. Identifiers with these render misleadingly in terminals and
// spreadsheets, so they are rejected rather than escaped.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

const text = (max: number) =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine(isWellFormed, 'must be well-formed Unicode (no lone surrogates)')
    .refine((s) => !CONTROL.test(s), 'must not contain control characters');

/** An identifier: tenant, actor or target id and type, request id. */
export const IdentifierSchema = text(256);

/** A dotted, lower-case action name such as `skill.downloaded`. */
export const ActionSchema = z
  .string()
  .max(128, 'must be at most 128 characters')
  .regex(
    /^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)+$/,
    'must be a dotted lower-case name such as "skill.downloaded"',
  );

/** The three outcomes an audited action can have. */
export const OutcomeSchema = z.enum(['success', 'failure', 'denied']);

/** RFC 3339 UTC with exactly millisecond precision, as stored and exported: `2026-05-01T12:00:00.000Z`. */
export const TIMESTAMP_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** True when `s` is a canonical stored timestamp (right shape and a real instant). */
export function isCanonicalTimestamp(s: string): boolean {
  if (!TIMESTAMP_RE.test(s)) return false;
  const d = new Date(s);
  return !Number.isNaN(d.getTime()) && d.toISOString() === s;
}

/** Accepts a Date or any RFC 3339 timestamp and normalises it to UTC milliseconds. */
export const TimestampSchema = z
  .union([z.date(), z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i, 'must be an RFC 3339 timestamp')])
  .transform((v, ctx) => {
    const d = v instanceof Date ? v : new Date(v);
    const iso = Number.isNaN(d.getTime()) ? '' : d.toISOString();
    if (!TIMESTAMP_RE.test(iso)) {
      ctx.addIssue({ code: 'custom', message: 'must be a valid date between years 0000 and 9999' });
      return z.NEVER;
    }
    return iso;
  });

/**
 * Metadata: a JSON object with identifier-like keys, at most `METADATA_MAX_BYTES` as JCS.
 * One JCS pass both validates the values (finite numbers, well-formed strings, JSON types only)
 * and measures the size: a zod union per value did the same at several times the cost
 * (12 µs of a ~30 µs append, measured).
 */
export const MetadataSchema = z.record(text(128), z.unknown()).superRefine((m, ctx) => {
  let size: number;
  try {
    size = utf8.encode(canonicalJson(m)).length;
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: `is not plain JSON: ${(e as Error).message}` });
    return;
  }
  if (size > METADATA_MAX_BYTES) {
    ctx.addIssue({ code: 'custom', message: `is ${size} bytes as canonical JSON; the limit is ${METADATA_MAX_BYTES}` });
  }
}) as unknown as z.ZodType<Record<string, JsonValue>>;

/**
 * One audit entry as the host application describes it. `recorded_at`, `seq` and the hashes are
 * assigned when it is appended.
 * @example
 * const input: EntryInput = {
 *   tenant: 'org_42', action: 'skill.downloaded', outcome: 'success',
 *   actor: { type: 'user', id: 'u_7', email: 'ada@example.com' },
 *   target: { type: 'skill', id: 'sk_1', display: 'pdf-tools' },
 *   context: { ip: '203.0.113.9', userAgent: 'curl/8', requestId: 'req_1' },
 *   metadata: { version: '1.2.0', recipient: 'ada@example.com' }, erasableMetadata: ['recipient'],
 * };
 */
export const EntryInputSchema = z
  .object({
    tenant: IdentifierSchema,
    action: ActionSchema,
    outcome: OutcomeSchema,
    occurredAt: TimestampSchema.optional(),
    actor: z.object({
      type: IdentifierSchema,
      id: IdentifierSchema,
      display: text(512).optional(),
      email: text(320).refine((s) => s.includes('@'), 'must be an e-mail address').optional(),
    }),
    target: z
      .object({ type: IdentifierSchema, id: IdentifierSchema, display: text(512).optional() })
      .optional(),
    context: z
      .object({
        ip: z
          .string()
          .max(45)
          .regex(/^[0-9A-Fa-f:.]+$/, 'must be an IPv4 or IPv6 address')
          .optional(),
        userAgent: text(1024).optional(),
        requestId: IdentifierSchema.optional(),
      })
      .optional(),
    metadata: MetadataSchema.optional(),
    /** Metadata keys that hold personal data: committed with a salt, erasable later. */
    erasableMetadata: z.array(text(128)).optional(),
  })
  .superRefine((e, ctx) => {
    for (const k of e.erasableMetadata ?? []) {
      if (!e.metadata || !(k in e.metadata)) {
        ctx.addIssue({ code: 'custom', path: ['erasableMetadata'], message: `names "${k}", which is not a metadata key` });
      }
    }
  });

/** The input type of `EntryInputSchema` (what callers write). */
export type EntryInput = z.input<typeof EntryInputSchema>;
/** The parsed, normalised entry. */
export type ParsedEntry = z.output<typeof EntryInputSchema>;

/**
 * Parses and normalises an entry.
 * @throws AuditChainError `ERR_AUDIT_INVALID_ENTRY`, with every problem listed as `path: message`.
 */
export function parseEntryInput(input: unknown): ParsedEntry {
  const r = EntryInputSchema.safeParse(input);
  if (r.success) return r.data;
  const problems = r.error.issues.map((i) => `${i.path.join('.') || '(entry)'}: ${i.message}`);
  throw new AuditChainError('ERR_AUDIT_INVALID_ENTRY', `invalid audit entry: ${problems.join('; ')}`, {
    details: { problems },
  });
}
