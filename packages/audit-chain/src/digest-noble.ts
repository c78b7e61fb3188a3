/**
 * @module SHA-256 on `@noble/hashes`: the browser and edge `#digest` where WebAssembly is refused
 * (see `digest.ts`), and a second backend the known-answer tests run against.
 *
 * `sha256(msg)` builds a hasher with its own buffer and DataViews per call, which costs more than
 * the rounds for short inputs. So one hasher is reset for each input from a pristine one
 * (`_cloneInto`, noble's documented way to reuse an instance), and its digest is written into its
 * own block buffer (the one output noble writes without a new DataView). Measured in headless
 * Chromium 156 on the CI machine kind, with the scratch encoding of web-digest.ts: ~110-byte
 * strings hashed to hex 121k/s → 316k/s, ~700-byte strings 57k/s → 70k/s.
 */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { createWebDigest } from './web-digest.js';

const pristine = nobleSha256.create();
const hasher = nobleSha256.create();
/** The hasher's 64-byte block buffer: after `digestInto(block)`, bytes 0..31 are the digest. */
const block = (hasher as unknown as { buffer: Uint8Array }).buffer;

const noble = createWebDigest('noble', (data) => {
  pristine._cloneInto(hasher);
  hasher.update(data);
  hasher.digestInto(block);
  return block;
});

/** Which implementation `sha256` is: reported by benchmarks and the verifier. */
export const digestBackend = noble.digestBackend;

/**
 * Returns the SHA-256 digest of `data`.
 * @example sha256(new TextEncoder().encode('abc'))
 */
export const sha256 = noble.sha256;

/**
 * Writes the SHA-256 digest of `data[start, end)` to `out[at, at + 32)`.
 * @example sha256Into(bytes, 0, bytes.length, leaves, 32 * i)
 */
export const sha256Into = noble.sha256Into;

/** Returns the SHA-256 digest of the UTF-8 encoding of `text`. */
export const sha256Utf8 = noble.sha256Utf8;

/** Returns the lower-case hex SHA-256 digest of the UTF-8 encoding of `text`. */
export const sha256Utf8Hex = noble.sha256Utf8Hex;
