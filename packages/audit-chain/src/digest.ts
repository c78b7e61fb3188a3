/**
 * @module SHA-256 for browsers and edge runtimes. Node resolves the `node` condition of `#digest`
 * to `digest-node.ts` (node:crypto) instead.
 *
 * Here the compression function runs in WebAssembly (`sha256-wasm.ts`, generated at load time)
 * where the runtime allows it, and in `@noble/hashes` (`digest-noble.ts`) where it does not: a
 * page whose Content-Security-Policy lacks `wasm-unsafe-eval`, or a runtime without WebAssembly.
 * All three backends pass the same known-answer vectors. Measured in headless Chromium 156 on the
 * CI machine kind, verifying sample exports: 40k rows on the main thread 1.7–1.8 s with noble,
 * 1.0–1.2 s with WebAssembly; 200k rows on two Web Workers 4.9–5.4 s against 3.5–4.1 s.
 */
import * as noble from './digest-noble.js';
import { createWasmSha256 } from './sha256-wasm.js';
import { createWebDigest, type WebDigest } from './web-digest.js';

const engine = createWasmSha256();
const chosen: WebDigest<'wasm' | 'noble'> = engine ? createWebDigest('wasm', engine.digest, engine.into) : noble;

/** Which implementation `sha256` is (`wasm`, or `noble` where WebAssembly is refused): reported by benchmarks and the verifier. */
export const digestBackend: 'wasm' | 'noble' = chosen.digestBackend;

/**
 * Returns the SHA-256 digest of `data`.
 * @example sha256(new TextEncoder().encode('abc'))
 */
export const sha256: (data: Uint8Array) => Uint8Array = chosen.sha256;

/**
 * Writes the SHA-256 digest of `data[start, end)` to `out[at, at + 32)`. The verifier's row path
 * hashes bytes it assembled in a scratch array, and keeps leaf digests in one array per batch.
 * @example sha256Into(bytes, 0, bytes.length, leaves, 32 * i)
 */
export const sha256Into: (data: Uint8Array, start: number, end: number, out: Uint8Array, at: number) => void = chosen.sha256Into;

/** Returns the SHA-256 digest of the UTF-8 encoding of `text`. */
export const sha256Utf8: (text: string) => Uint8Array = chosen.sha256Utf8;

/** Returns the lower-case hex SHA-256 digest of the UTF-8 encoding of `text`. */
export const sha256Utf8Hex: (text: string) => string = chosen.sha256Utf8Hex;
