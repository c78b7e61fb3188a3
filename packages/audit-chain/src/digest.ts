/**
 * @module SHA-256 for browsers and edge runtimes (`@noble/hashes`). Node resolves the
 * `node` condition of `#digest` to `digest-node.ts` instead; both pass the same vectors.
 */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';

/** Which implementation `sha256` is: reported by benchmarks and the verifier. */
export const digestBackend = 'noble' as const;

/**
 * Returns the SHA-256 digest of `data`.
 * @example sha256(new TextEncoder().encode('abc'))
 */
export function sha256(data: Uint8Array): Uint8Array {
  return nobleSha256(data);
}

const encoder = new TextEncoder();
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Returns the SHA-256 digest of the UTF-8 encoding of `text`. */
export function sha256Utf8(text: string): Uint8Array {
  return nobleSha256(encoder.encode(text));
}

/** Returns the lower-case hex SHA-256 digest of the UTF-8 encoding of `text`. */
export function sha256Utf8Hex(text: string): string {
  const d = nobleSha256(encoder.encode(text));
  let out = '';
  for (let i = 0; i < d.length; i++) out += HEX[d[i]!];
  return out;
}
