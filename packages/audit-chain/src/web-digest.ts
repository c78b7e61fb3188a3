/**
 * The `#digest` functions for browsers and edge runtimes, built on one primitive that hashes a
 * byte array into a 32-byte view (`sha256-wasm.ts` or `digest-noble.ts`).
 *
 * Strings are encoded into one growing scratch array (`encodeInto`) rather than a fresh array per
 * call: the verifier hashes millions of short strings, where allocation costs more than the
 * rounds. Every function is synchronous and copies its result out before returning, so sharing
 * the scratch array and the primitive's output is safe.
 */
import { toHex } from './bytes.js';

/** Hashes `data`; the digest is in the returned 32 bytes until the next call. */
export type DigestTo = (data: Uint8Array) => Uint8Array;

/** The `#digest` interface. */
export interface WebDigest<B extends string> {
  readonly digestBackend: B;
  sha256(data: Uint8Array): Uint8Array;
  sha256Into(data: Uint8Array, start: number, end: number, out: Uint8Array, at: number): void;
  sha256Utf8(text: string): Uint8Array;
  sha256Utf8Hex(text: string): string;
}

/** Writes the digest of `data[start, end)` to `out[at, at + 32)`. */
export type DigestInto = (data: Uint8Array, start: number, end: number, out: Uint8Array, at: number) => void;

/** Builds the `#digest` functions on `digestTo`, and on `digestInto` where the primitive has one. @internal */
export function createWebDigest<B extends string>(digestBackend: B, digestTo: DigestTo, digestInto?: DigestInto): WebDigest<B> {
  const encoder = new TextEncoder();
  let scratch = new Uint8Array(4096);
  /** UTF-8 of `text` as a view of the scratch array, valid until the next call. */
  const utf8 = (text: string): Uint8Array => {
    // A UTF-16 code unit never needs more than 3 bytes of UTF-8.
    if (scratch.length < text.length * 3) scratch = new Uint8Array(Math.max(text.length * 3, scratch.length * 2));
    return scratch.subarray(0, encoder.encodeInto(text, scratch).written);
  };
  return {
    digestBackend,
    sha256: (data) => digestTo(data).slice(0, 32),
    sha256Into: digestInto ?? ((data, start, end, out, at) => out.set(digestTo(data.subarray(start, end)).subarray(0, 32), at)),
    sha256Utf8: (text) => digestTo(utf8(text)).slice(0, 32),
    sha256Utf8Hex: (text) => toHex(digestTo(utf8(text)).subarray(0, 32)),
  };
}
