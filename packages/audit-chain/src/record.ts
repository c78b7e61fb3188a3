/**
 * The sealed record: what is hashed, chained and exported (SPEC.md §3–§5).
 *
 * A record's `hash` is its RFC 6962 leaf hash, `SHA-256(0x00 ‖ UTF-8(JCS(leaf object)))`, and the
 * leaf object contains `prev_hash`. So one hash per entry serves both the linear chain that a short
 * script can check and the Merkle tree that gives O(log n) proofs.
 */
import { sha256Utf8, sha256Utf8Hex } from '#digest';
import { canonicalJson, type JsonValue } from './canonical-json.js';
import { toBase64Url, toHex } from './bytes.js';
import type { ParsedEntry } from './entry-input.js';

/** Type tag inside every hashed entry. */
export const ENTRY_TYPE = 'stela.audit/entry/v1';
/** Domain prefix of a field commitment. */
export const COMMITMENT_PREFIX = 'stela.audit/commitment/v1\n';
/** `prev_hash` of the first entry of every log: 32 zero bytes. */
export const GENESIS_HASH = '0'.repeat(64);

/** The erasable fields outside metadata; metadata keys are erasable as `metadata.<key>`. */
export const ERASABLE_FIELDS = ['actor_display', 'actor_email', 'target_display', 'ip', 'user_agent'] as const;
/** One of `ERASABLE_FIELDS`. */
export type ErasableField = (typeof ERASABLE_FIELDS)[number];

/** One sealed audit record (snake_case: this is the wire shape of SPEC.md §3). */
export interface AuditRecord {
  readonly tenant: string;
  /** 1-based, gapless per tenant. Leaf index is `seq - 1`. */
  readonly seq: number;
  readonly prev_hash: string;
  readonly hash: string;
  readonly occurred_at: string;
  readonly recorded_at: string;
  readonly action: string;
  readonly outcome: 'success' | 'failure' | 'denied';
  readonly actor_type: string;
  readonly actor_id: string;
  readonly target_type?: string | undefined;
  readonly target_id?: string | undefined;
  readonly request_id?: string | undefined;
  /** Non-erasable metadata only. */
  readonly metadata: Readonly<Record<string, JsonValue>>;
  /** Field name → hex commitment, for every erasable field the entry had. */
  readonly commitments: Readonly<Record<string, string>>;
}

/** The salt and value behind one commitment. Stored apart from the record; erasure deletes it. */
export interface Disclosure {
  readonly salt: string;
  readonly value: JsonValue;
}

/** Field name → disclosure, for the fields not (yet) erased. */
export type Disclosures = Readonly<Record<string, Disclosure>>;

/**
 * Returns the hex commitment to one erasable field.
 * @example fieldCommitment('actor_email', 'ada@example.com', 'q1w2e3r4t5y6u7i8o9p0aa')
 */
export function fieldCommitment(field: string, value: JsonValue, salt: string): string {
  // JCS of a string is JSON.stringify of it once lone surrogates are excluded, which sealing
  // (zod) and the verifier (fatal UTF-8 decoding) both guarantee; other values take full JCS.
  const v = typeof value === 'string' ? JSON.stringify(value) : canonicalJson(value);
  return sha256Utf8Hex(COMMITMENT_PREFIX + '[' + JSON.stringify(salt) + ',' + JSON.stringify(field) + ',' + v + ']');
}

/**
 * Returns the JCS text of a record's leaf object (everything but `hash`). Keys are written in
 * RFC 8785 order by hand: this runs once per row in the verifier, and a generic sort per row
 * costs more than the hashing.
 */
export function canonicalRecordText(r: Omit<AuditRecord, 'hash'>, metadataJcs?: string, commitmentsJcs?: string): string {
  let s = '{"@type":"' + ENTRY_TYPE + '","action":' + JSON.stringify(r.action);
  s += ',"actor_id":' + JSON.stringify(r.actor_id) + ',"actor_type":' + JSON.stringify(r.actor_type);
  s += ',"commitments":' + (commitmentsJcs ?? canonicalJson(r.commitments));
  s += ',"metadata":' + (metadataJcs ?? canonicalJson(r.metadata));
  s += ',"occurred_at":' + JSON.stringify(r.occurred_at) + ',"outcome":' + JSON.stringify(r.outcome);
  s += ',"prev_hash":' + JSON.stringify(r.prev_hash) + ',"recorded_at":' + JSON.stringify(r.recorded_at);
  if (r.request_id !== undefined) s += ',"request_id":' + JSON.stringify(r.request_id);
  s += ',"seq":' + String(r.seq);
  if (r.target_id !== undefined) s += ',"target_id":' + JSON.stringify(r.target_id);
  if (r.target_type !== undefined) s += ',"target_type":' + JSON.stringify(r.target_type);
  return s + ',"tenant":' + JSON.stringify(r.tenant) + '}';
}

/**
 * Returns the RFC 6962 leaf hash, SHA-256(0x00 ‖ UTF-8(text)). U+0000 encodes as the single byte
 * 0x00 in UTF-8, so the prefix can ride in the string and the text is hashed without a copy.
 */
export function recordLeafHash(canonicalText: string): Uint8Array {
  return sha256Utf8('\u0000' + canonicalText);
}

/** What sealing needs besides the entry: its position, the clock reading and randomness. */
export interface SealContext {
  readonly seq: number;
  readonly prevHash: string;
  readonly recordedAt: string;
  /** Returns `n` cryptographically random bytes (injected so tests are deterministic). */
  readonly randomBytes: (n: number) => Uint8Array;
}

/** A sealed entry, ready to store: the record, its disclosures and its leaf hash bytes. */
export interface SealedEntry {
  readonly record: AuditRecord;
  readonly disclosures: Disclosures;
  readonly leafHash: Uint8Array;
}

/** 16 bytes = 128 bits, RFC 9901 §4.2.1's recommended minimum salt for the same construction. */
export const SALT_BYTES = 16;

/**
 * Seals a parsed entry at a position in the chain: splits erasable fields into salted
 * commitments, computes the canonical leaf and its hash.
 */
export function sealEntry(entry: ParsedEntry, ctx: SealContext): SealedEntry {
  const { record, disclosures, leafHash } = sealEntryWithText(entry, ctx);
  return { record, disclosures, leafHash };
}

/** A sealed entry with the JCS texts of its metadata and commitments, which hashing made anyway. */
export interface SealedEntryWithText extends SealedEntry {
  readonly metadataJson: string;
  readonly commitmentsJson: string;
}

/** `sealEntry`, also returning the texts a store can write instead of serialising again. Internal. */
export function sealEntryWithText(entry: ParsedEntry, ctx: SealContext): SealedEntryWithText {
  // Built straight into the record's own objects, in the order the old intermediate `erasable`
  // map had (which is the order salts are drawn in, so deterministic-randomness tests and vectors
  // keep their bytes). With the salt encoding and commitmentsText, sealing a sample entry went
  // from ~17 to ~12 µs of CPU (medians of five alternating runs, Node 22, 2 vCPUs).
  const commitments: Record<string, string> = {};
  const disclosures: Record<string, Disclosure> = {};
  const commit = (field: string, value: JsonValue) => {
    const salt = toBase64Url(ctx.randomBytes(SALT_BYTES));
    commitments[field] = fieldCommitment(field, value, salt);
    disclosures[field] = { salt, value };
  };
  const { actor, target, context } = entry;
  if (actor.display !== undefined) commit('actor_display', actor.display);
  if (actor.email !== undefined) commit('actor_email', actor.email);
  if (target?.display !== undefined) commit('target_display', target.display);
  if (context?.ip !== undefined) commit('ip', context.ip);
  if (context?.userAgent !== undefined) commit('user_agent', context.userAgent);
  const metadata: Record<string, JsonValue> = {};
  if (entry.metadata !== undefined) {
    const erasable = entry.erasableMetadata;
    const privateKeys = erasable !== undefined && erasable.length > 0 ? new Set(erasable) : undefined;
    for (const k of Object.keys(entry.metadata)) {
      const v = entry.metadata[k]!;
      if (privateKeys?.has(k)) commit('metadata.' + k, v);
      else metadata[k] = v;
    }
  }
  const record: { -readonly [K in keyof AuditRecord]: AuditRecord[K] } = {
    tenant: entry.tenant,
    seq: ctx.seq,
    prev_hash: ctx.prevHash,
    occurred_at: entry.occurredAt ?? ctx.recordedAt,
    recorded_at: ctx.recordedAt,
    action: entry.action,
    outcome: entry.outcome,
    actor_type: actor.type,
    actor_id: actor.id,
    target_type: target?.type,
    target_id: target?.id,
    request_id: context?.requestId,
    metadata,
    commitments,
    hash: '',
  };
  const metadataJson = canonicalJson(metadata);
  const commitmentsJson = commitmentsText(commitments);
  const leafHash = recordLeafHash(canonicalRecordText(record, metadataJson, commitmentsJson));
  record.hash = toHex(leafHash);
  return { record, disclosures, leafHash, metadataJson, commitmentsJson };
}

/**
 * JCS of a commitments map as sealing builds it: the values are hex and the names outside
 * metadata need no escaping, so only `metadata.<key>` names go through the JCS string check.
 */
function commitmentsText(c: Readonly<Record<string, string>>): string {
  const keys = Object.keys(c).sort();
  let s = '{';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (i > 0) s += ',';
    s += (k.startsWith('metadata.') ? canonicalJson(k) : '"' + k + '"') + ':"' + c[k] + '"';
  }
  return s + '}';
}

/** Result of re-checking one record against its stored hash and disclosures. */
export type RecordCheck =
  | { ok: true; erased: number }
  | { ok: false; code: 'ERR_AUDIT_HASH_MISMATCH' | 'ERR_AUDIT_COMMITMENT_MISMATCH'; field?: string };

/** Recomputes a record's hash and checks every disclosed value against its commitment. */
export function checkRecord(record: AuditRecord, disclosures: Disclosures): RecordCheck {
  if (toHex(recordLeafHash(canonicalRecordText(record))) !== record.hash) {
    return { ok: false, code: 'ERR_AUDIT_HASH_MISMATCH' };
  }
  let erased = 0;
  for (const [field, c] of Object.entries(record.commitments)) {
    const d = disclosures[field];
    if (!d) {
      erased++;
      continue;
    }
    if (fieldCommitment(field, d.value, d.salt) !== c) return { ok: false, code: 'ERR_AUDIT_COMMITMENT_MISMATCH', field };
  }
  for (const field of Object.keys(disclosures)) {
    if (!(field in record.commitments)) return { ok: false, code: 'ERR_AUDIT_COMMITMENT_MISMATCH', field };
  }
  return { ok: true, erased };
}
