/**
 * @module Finding a byte in a Uint8Array, for the verifier's row scanner (browsers and edge
 * runtimes). Node resolves the `node` condition of `#byte-search` to `byte-search-node.ts`
 * instead, which finds the same positions.
 *
 * A plain loop over the first bytes, then `Uint8Array.prototype.indexOf`. The scanner looks for
 * the next comma or quote about thirty times per row, a few dozen bytes ahead, and there the
 * builtin's cost per call dominates (measured in headless Chromium 156 on the CI machine kind,
 * 200k sample rows on the main thread: the builtin alone was 10.8% of the profile). The verifier
 * also looks for line ends about a kilobyte apart, to count and cut lines; there the builtin is
 * about twice as fast as the loop (V8, every line end of 64 MiB of sample export: 126 → 61 ms).
 */

/** Bytes scanned by the loop before handing the rest to the builtin. */
const NEAR = 64;

/**
 * Returns the index of the first `value` in `bytes` at or after `from`, or -1.
 * @example indexOfByte(new Uint8Array([1, 44, 2]), 44, 0) // 1
 */
export function indexOfByte(bytes: Uint8Array, value: number, from: number): number {
  let i = from < 0 ? 0 : from;
  const n = bytes.length;
  const near = n - i > NEAR ? i + NEAR : n;
  for (; i < near; i++) if (bytes[i] === value) return i;
  return i < n ? bytes.indexOf(value, i) : -1;
}
