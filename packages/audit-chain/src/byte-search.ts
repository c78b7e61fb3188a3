/**
 * @module Finding a byte in a Uint8Array, for the verifier's row scanner (browsers and edge
 * runtimes: `Uint8Array.prototype.indexOf`). Node resolves the `node` condition of `#byte-search`
 * to `byte-search-node.ts` instead, which finds the same positions.
 */

/**
 * Returns the index of the first `value` in `bytes` at or after `from`, or -1.
 * @example indexOfByte(new Uint8Array([1, 44, 2]), 44, 0) // 1
 */
export function indexOfByte(bytes: Uint8Array, value: number, from: number): number {
  return bytes.indexOf(value, from);
}
