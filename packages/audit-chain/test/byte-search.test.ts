import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { indexOfByte as webIndexOf } from '../src/byte-search.js';
import { indexOfByte as nodeIndexOf } from '../src/byte-search-node.js';

/** The definition: the first `value` at or after `from` (a negative `from` counts as 0). */
function reference(bytes: Uint8Array, value: number, from: number): number {
  for (let i = Math.max(0, from); i < bytes.length; i++) if (bytes[i] === value) return i;
  return -1;
}

describe('indexOfByte (#byte-search)', () => {
  // Few distinct byte values, so hits are common; lengths across the loop/builtin hand-over at 64.
  const arbBytes = fc.uint8Array({ minLength: 0, maxLength: 300 }).map((a) => a.map((b) => [10, 34, 44, 97][b & 3]!));
  const sparse = fc.tuple(fc.nat(400), fc.array(fc.nat(399), { maxLength: 3 })).map(([n, at]) => {
    const a = new Uint8Array(n).fill(97);
    for (const i of at) if (i < n) a[i] = 10;
    return a;
  });

  for (const [name, indexOf] of [['browsers (loop, then the builtin)', webIndexOf], ['Node (Buffer.indexOf)', nodeIndexOf]] as const) {
    it(`${name}: finds what the definition finds, from any start`, () => {
      fc.assert(
        fc.property(fc.oneof(arbBytes, sparse), fc.constantFrom(10, 34, 44, 0), fc.integer({ min: -3, max: 420 }), (bytes, value, from) => {
          expect(indexOf(bytes, value, from)).toBe(reference(bytes, value, from));
        }),
        { numRuns: 2000 },
      );
    });

    it(`${name}: searches a subarray, not the buffer behind it`, () => {
      const whole = new Uint8Array(200).fill(10);
      const view = whole.subarray(50, 150).fill(97);
      expect(indexOf(view, 10, 0)).toBe(-1);
      view[99] = 10;
      expect(indexOf(view, 10, 0)).toBe(99);
      expect(indexOf(view, 10, 100)).toBe(-1);
    });
  }
});
