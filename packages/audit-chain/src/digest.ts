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
