/**
 * C2SP signed-note and tlog-checkpoint (c2sp.org/signed-note, c2sp.org/tlog-checkpoint), so
 * standard transparency-log tooling and witnesses can read our checkpoints.
 */
import { sha256 } from '#digest';
import { concatBytes, fromBase64, toBase64, utf8 } from './bytes.js';

const EM_DASH = '\u2014';
/** Signature type byte for Ed25519 (c2sp.org/signed-note §Signature types). */
const ED25519 = 0x01;

/** Returns the 4-byte key ID: SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[:4]. */
export function noteKeyId(name: string, publicKey: Uint8Array): Uint8Array {
  return sha256(concatBytes(utf8.encode(name), new Uint8Array([0x0a, ED25519]), publicKey)).slice(0, 4);
}

/** Returns the vkey text form `name+hex(keyID)+base64(0x01 ‖ pubkey)` used by note tooling. */
export function noteVerifierKey(name: string, publicKey: Uint8Array): string {
  const id = noteKeyId(name, publicKey);
  const hex = Array.from(id, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${name}+${hex}+${toBase64(concatBytes(new Uint8Array([ED25519]), publicKey))}`;
}

/** The tlog-checkpoint body: origin, decimal size, base64 root, each ending in a newline. */
export function checkpointNoteBody(origin: string, size: number, root: Uint8Array): string {
  return `${origin}\n${size}\n${toBase64(root)}\n`;
}

/** Appends one Ed25519 signature line to a note body. */
export async function signNote(
  body: string,
  name: string,
  publicKey: Uint8Array,
  sign: (data: Uint8Array) => Promise<Uint8Array>,
): Promise<string> {
  const sig = await sign(utf8.encode(body));
  return `${body}\n${EM_DASH} ${name} ${toBase64(concatBytes(noteKeyId(name, publicKey), sig))}\n`;
}

/** A parsed signed note. */
export interface ParsedNote {
  readonly body: string;
  readonly signatures: readonly { name: string; keyId: Uint8Array; signature: Uint8Array }[];
}

/** Splits a signed note into body and signature lines; `undefined` if it is not one. */
export function parseNote(text: string): ParsedNote | undefined {
  const split = text.lastIndexOf('\n\n');
  if (split < 0 || !text.endsWith('\n')) return undefined;
  const body = text.slice(0, split + 1);
  const signatures: { name: string; keyId: Uint8Array; signature: Uint8Array }[] = [];
  for (const line of text.slice(split + 2, -1).split('\n')) {
    const m = /^\u2014 (\S+) (\S+)$/.exec(line);
    if (!m) return undefined;
    const blob = fromBase64(m[2]!);
    if (!blob || blob.length < 5) return undefined;
    signatures.push({ name: m[1]!, keyId: blob.slice(0, 4), signature: blob.slice(4) });
  }
  return signatures.length ? { body, signatures } : undefined;
}

/**
 * Verifies that `note` carries a valid Ed25519 signature by (`name`, `publicKey`). Signatures by
 * other keys are ignored, as c2sp.org/signed-note requires.
 */
export async function verifyNote(note: ParsedNote, name: string, publicKey: Uint8Array, key: CryptoKey): Promise<boolean> {
  const id = noteKeyId(name, publicKey);
  for (const s of note.signatures) {
    if (s.name !== name || s.keyId.length !== 4 || s.keyId.some((b, i) => b !== id[i])) continue;
    if (s.signature.length !== 64) return false;
    return crypto.subtle.verify('Ed25519', key, s.signature as Uint8Array<ArrayBuffer>, utf8.encode(note.body));
  }
  return false;
}
