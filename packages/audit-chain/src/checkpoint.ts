/**
 * Signed checkpoints (SPEC.md §7): a JWS for JOSE tooling, carrying `issued_at`, the chain head
 * and the link to the previous checkpoint, and a C2SP signed note of the same tree head for
 * transparency-log tooling.
 */
import { compactVerify, decodeProtectedHeader, errors as joseErrors } from 'jose';
import { z } from 'zod';
import { canonicalJson } from './canonical-json.js';
import { fromHex, toBase64Url, utf8 } from './bytes.js';
import { isCanonicalTimestamp } from './entry-input.js';
import type { AuditErrorCode } from './errors.js';
import { keyValidAt, type KeyRing, type ResolvedKey } from './keys.js';
import { checkpointNoteBody, parseNote, signNote, verifyNote } from './signed-note.js';
import type { Signer } from './signer.js';

/** Type tag inside every checkpoint payload. */
export const CHECKPOINT_TYPE = 'stela.audit/checkpoint/v1';
/** JWS `typ` header of a checkpoint. */
export const CHECKPOINT_JWS_TYP = 'stela-audit-checkpoint+jws';

const hex32 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits');

/** The signed content of a checkpoint. */
export const CheckpointSchema = z.object({
  '@type': z.literal(CHECKPOINT_TYPE),
  origin: z.string().min(1),
  tenant: z.string().min(1),
  size: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  root: hex32,
  chain_head: hex32,
  issued_at: z.string().refine(isCanonicalTimestamp),
  previous: z.object({ size: z.number().int().nonnegative(), root: hex32 }).nullable(),
});

/** A checkpoint's content. */
export type Checkpoint = z.output<typeof CheckpointSchema>;

/** A checkpoint in both envelopes. */
export interface SignedCheckpoint {
  readonly checkpoint: Checkpoint;
  /** Compact JWS (EdDSA) over the JCS of `checkpoint`. */
  readonly jws: string;
  /** C2SP tlog-checkpoint signed note. */
  readonly note: string;
}

/**
 * Signs a checkpoint with `signer` in both envelopes. The note's key name is the origin.
 * @example const cp = await signCheckpoint({ '@type': CHECKPOINT_TYPE, origin, tenant, size, root, chain_head, issued_at, previous: null }, signer)
 */
export async function signCheckpoint(checkpoint: Checkpoint, signer: Signer): Promise<SignedCheckpoint> {
  const header = { alg: 'EdDSA', kid: signer.kid, typ: CHECKPOINT_JWS_TYP };
  const signingInput =
    toBase64Url(utf8.encode(canonicalJson(header))) + '.' + toBase64Url(utf8.encode(canonicalJson(checkpoint)));
  const sig = await signer.sign(utf8.encode(signingInput));
  const jws = signingInput + '.' + toBase64Url(sig);
  const raw = fromHex(checkpoint.root)!;
  const pub = Uint8Array.from(atob(signer.publicJwk.x.replace(/-/g, '+').replace(/_/g, '/') + '='), (c) => c.charCodeAt(0));
  const note = await signNote(checkpointNoteBody(checkpoint.origin, checkpoint.size, raw), checkpoint.origin, pub, (d) => signer.sign(d));
  return { checkpoint, jws, note };
}

/** The outcome of checking a checkpoint's signatures. */
export type CheckpointVerification =
  | { ok: true; checkpoint: Checkpoint; key: ResolvedKey }
  | { ok: false; code: AuditErrorCode; message: string; kid?: string };

/**
 * Verifies a checkpoint JWS (and, when given, its signed note) against a key ring. Never throws.
 * Codes: `ERR_AUDIT_SIGNATURE_INVALID` (malformed or bad signature, note disagreeing with the
 * JWS), `ERR_AUDIT_UNKNOWN_KEY`, `ERR_AUDIT_KEY_NOT_VALID` (issued outside the key's window).
 */
export async function verifyCheckpoint(jws: string, ring: KeyRing, note?: string): Promise<CheckpointVerification> {
  let kid: string | undefined;
  try {
    const h = decodeProtectedHeader(jws);
    kid = typeof h.kid === 'string' ? h.kid : undefined;
    if (h.alg !== 'EdDSA' && h.alg !== 'Ed25519') return bad('ERR_AUDIT_SIGNATURE_INVALID', `checkpoint uses algorithm ${String(h.alg)}; only EdDSA (Ed25519) is accepted`);
    if (h.typ !== CHECKPOINT_JWS_TYP) return bad('ERR_AUDIT_SIGNATURE_INVALID', `the JWS is not a checkpoint (typ ${String(h.typ)})`);
  } catch {
    return bad('ERR_AUDIT_SIGNATURE_INVALID', 'the checkpoint JWS is malformed or truncated');
  }
  if (kid === undefined) return bad('ERR_AUDIT_UNKNOWN_KEY', 'the checkpoint names no key (kid)');
  const key = ring.keys.get(kid);
  if (!key) return bad('ERR_AUDIT_UNKNOWN_KEY', `the checkpoint was signed by key ${kid}, which is not in the key set`, kid);
  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(jws, key.key, { algorithms: ['EdDSA', 'Ed25519'] }));
  } catch (e) {
    const what = e instanceof joseErrors.JWSSignatureVerificationFailed ? 'its signature does not verify' : 'it is malformed or truncated';
    return bad('ERR_AUDIT_SIGNATURE_INVALID', `the checkpoint JWS was rejected: ${what}`, kid);
  }
  let checkpoint: Checkpoint;
  try {
    checkpoint = CheckpointSchema.parse(JSON.parse(new TextDecoder().decode(payload)));
  } catch {
    return bad('ERR_AUDIT_SIGNATURE_INVALID', 'the signed checkpoint payload is not a stela.audit/checkpoint/v1 object', kid);
  }
  if (!keyValidAt(key, checkpoint.issued_at)) {
    return bad('ERR_AUDIT_KEY_NOT_VALID', `key ${kid} was not valid at ${checkpoint.issued_at} (valid ${key.jwk.valid_from ?? '−∞'} to ${key.jwk.valid_until ?? '∞'})`, kid);
  }
  if (note !== undefined) {
    const parsed = parseNote(note);
    const expected = checkpointNoteBody(checkpoint.origin, checkpoint.size, fromHex(checkpoint.root)!);
    if (!parsed || parsed.body !== expected) return bad('ERR_AUDIT_SIGNATURE_INVALID', 'the signed note does not state the same tree head as the JWS', kid);
    if (!(await verifyNote(parsed, checkpoint.origin, key.raw, key.key))) {
      return bad('ERR_AUDIT_SIGNATURE_INVALID', 'the signed note signature does not verify', kid);
    }
  }
  return { ok: true, checkpoint, key };
}

function bad(code: AuditErrorCode, message: string, kid?: string): CheckpointVerification {
  return kid === undefined ? { ok: false, code, message } : { ok: false, code, message, kid };
}
