/**
 * What a host application passes to `append`: the zod schema, and the rules every string in an
 * entry must satisfy before it can be hashed (SPEC.md §3).
 */
import { z } from 'zod';
import { canonicalJson, isWellFormed, type JsonValue } from './canonical-json.js';
import { AuditChainError } from './errors.js';
import { utf8 } from './bytes.js';

/** Largest metadata object, measured as the UTF-8 length of its JCS text (SPEC.md §3.1). */
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
  const fast = fastParseEntry(input);
  if (fast !== undefined) return fast;
  const r = EntryInputSchema.safeParse(input);
  if (r.success) return r.data;
  const problems = r.error.issues.map((i) => `${i.path.join('.') || '(entry)'}: ${i.message}`);
  throw new AuditChainError('ERR_AUDIT_INVALID_ENTRY', `invalid audit entry: ${problems.join('; ')}`, {
    details: { problems },
  });
}

// ── The fast path ───────────────────────────────────────────────────────────────────────────
// zod spent 15-25 µs on a typical entry (most of an append's JS time besides hashing; measured
// with --cpu-prof on the CI machine kind), nearly all of it in per-field machinery rather than
// in the checks. fastParseEntry applies the same checks by hand and builds the same output
// object zod builds (shape key order, present-but-undefined optional keys kept, unknown keys
// dropped). It only ever accepts: anything it is not sure of (a failing check, a metadata object
// zod might treat differently) returns undefined, and the schema then decides and words the
// errors. test/entry-input-fast.test.ts checks that it agrees with the schema.

type Obj = Record<string, unknown>;

// Mirrors zod's object check: any non-null, non-array object (class instances included).
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** True when `v` passes `text(max)`. */
function isText(v: unknown, max: number): v is string {
  return typeof v === 'string' && v.length >= 1 && v.length <= max && isWellFormed(v) && !CONTROL.test(v);
}

const ACTION_RE = /^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)+$/;
const RFC3339_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
const IP_RE = /^[0-9A-Fa-f:.]+$/;

/** TimestampSchema's output for `v`, or undefined when it would not accept it. */
function fastTimestamp(v: unknown): string | undefined {
  let d: Date;
  if (v instanceof Date) d = v;
  else if (typeof v === 'string' && RFC3339_RE.test(v)) d = new Date(v);
  else return undefined;
  if (Number.isNaN(d.getTime())) return undefined;
  const iso = d.toISOString();
  return TIMESTAMP_RE.test(iso) ? iso : undefined;
}

/** Sets `out[key]` the way zod's object does for an optional member whose value passed. */
function optional(out: Obj, input: Obj, key: string, value: unknown): void {
  if (value !== undefined) out[key] = value;
  else if (key in input) out[key] = undefined;
}

function fastMetadata(m: unknown): Record<string, JsonValue> | undefined {
  // zod's record accepts "plain" objects by a constructor test and walks Reflect.ownKeys; an
  // ordinary object literal (or JSON.parse result) without symbol, hidden or __proto__ keys is
  // where that agrees with Object.keys.
  if (!isObj(m) || Object.getPrototypeOf(m) !== Object.prototype || Object.hasOwn(m, 'constructor')) return undefined;
  const keys = Object.keys(m);
  if (Reflect.ownKeys(m).length !== keys.length) return undefined;
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    if (k === '__proto__' || !isText(k, 128)) return undefined;
    out[k] = m[k];
  }
  let jcs: string;
  try {
    jcs = canonicalJson(out);
  } catch {
    return undefined;
  }
  // UTF-8 is at most 3 bytes per UTF-16 code unit, so most metadata needs no encoding to measure.
  if (jcs.length * 3 > METADATA_MAX_BYTES && utf8.encode(jcs).length > METADATA_MAX_BYTES) return undefined;
  return out as Record<string, JsonValue>;
}

/** The schema's output for `input` when it certainly accepts it; otherwise undefined. Internal: not in the public entry. */
export function fastParseEntry(input: unknown): ParsedEntry | undefined {
  if (!isObj(input)) return undefined;
  const { tenant, action, outcome, occurredAt, actor, target, context, metadata, erasableMetadata } = input;
  if (!isText(tenant, 256)) return undefined;
  if (typeof action !== 'string' || action.length > 128 || !ACTION_RE.test(action)) return undefined;
  if (outcome !== 'success' && outcome !== 'failure' && outcome !== 'denied') return undefined;
  const out: Obj = { tenant, action, outcome };
  if (occurredAt !== undefined) {
    const iso = fastTimestamp(occurredAt);
    if (iso === undefined) return undefined;
    out.occurredAt = iso;
  } else if ('occurredAt' in input) out.occurredAt = undefined;

  if (!isObj(actor)) return undefined;
  const { type, id, display, email } = actor;
  if (!isText(type, 256) || !isText(id, 256)) return undefined;
  const a: Obj = { type, id };
  if (display !== undefined && !isText(display, 512)) return undefined;
  optional(a, actor, 'display', display);
  if (email !== undefined && !(isText(email, 320) && email.includes('@'))) return undefined;
  optional(a, actor, 'email', email);
  out.actor = a;

  if (target !== undefined) {
    if (!isObj(target)) return undefined;
    const { type, id, display } = target;
    if (!isText(type, 256) || !isText(id, 256)) return undefined;
    const t: Obj = { type, id };
    if (display !== undefined && !isText(display, 512)) return undefined;
    optional(t, target, 'display', display);
    out.target = t;
  } else if ('target' in input) out.target = undefined;

  if (context !== undefined) {
    if (!isObj(context)) return undefined;
    const { ip, userAgent, requestId } = context;
    const c: Obj = {};
    if (ip !== undefined && !(typeof ip === 'string' && ip.length <= 45 && IP_RE.test(ip))) return undefined;
    optional(c, context, 'ip', ip);
    if (userAgent !== undefined && !isText(userAgent, 1024)) return undefined;
    optional(c, context, 'userAgent', userAgent);
    if (requestId !== undefined && !isText(requestId, 256)) return undefined;
    optional(c, context, 'requestId', requestId);
    out.context = c;
  } else if ('context' in input) out.context = undefined;

  let meta: Record<string, JsonValue> | undefined;
  if (metadata !== undefined) {
    meta = fastMetadata(metadata);
    if (meta === undefined) return undefined;
    out.metadata = meta;
  } else if ('metadata' in input) out.metadata = undefined;

  if (erasableMetadata !== undefined) {
    if (!Array.isArray(erasableMetadata)) return undefined;
    const keys: string[] = new Array(erasableMetadata.length);
    for (let i = 0; i < erasableMetadata.length; i++) {
      const k: unknown = erasableMetadata[i];
      // `in`, as the schema's cross-field rule has it (inherited names count).
      if (!isText(k, 128) || meta === undefined || !(k in meta)) return undefined;
      keys[i] = k;
    }
    out.erasableMetadata = keys;
  } else if ('erasableMetadata' in input) out.erasableMetadata = undefined;
  return out as ParsedEntry;
}
