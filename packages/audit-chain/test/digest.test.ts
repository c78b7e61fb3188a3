import fc from 'fast-check';
import { sha256 as referenceSha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { digestBackend, sha256, sha256Into, sha256Utf8, sha256Utf8Hex } from '#digest';
import { toHex, utf8 } from '../src/bytes.js';

// NIST FIPS 180-2 examples (also RFC 6234 §8.5).
const VECTORS: [string, string][] = [
  ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
];

// Both backends are compared with a plain, fresh `@noble/hashes` call: the browser backend
// reuses one hasher and one scratch array, so what matters is that no call sees another's state.
const reference = (data: Uint8Array) => toHex(referenceSha256(data));
const referenceText = (text: string) => reference(new TextEncoder().encode(text));

describe(`sha256 (${digestBackend})`, () => {
  it.each(VECTORS)('hashes %j', (input, expected) => {
    expect(toHex(sha256(utf8.encode(input)))).toBe(expected);
    expect(toHex(sha256Utf8(input))).toBe(expected);
    expect(sha256Utf8Hex(input)).toBe(expected);
  });

  it('agrees with a fresh @noble/hashes call on every length around the block boundaries', () => {
    for (let n = 0; n < 300; n++) {
      const data = Uint8Array.from({ length: n }, (_, i) => (i * 13 + n) & 0xff);
      expect(toHex(sha256(data)), `length ${n}`).toBe(reference(data));
    }
  });

  it('writes the digest of any subarray at any offset, for inputs longer than 16 KiB too', () => {
    // 16 KiB is how much the WebAssembly backend copies into its memory at a time.
    const big = Uint8Array.from({ length: 40_000 }, (_, i) => (i * 31 + (i >> 8)) & 0xff);
    const out = new Uint8Array(40).fill(0xaa);
    for (const [s, e] of [[0, 0], [1, 56], [3, 64], [0, 16_384], [5, 16_389], [7, 40_000], [100, 33_000], [64, 16_512]] as const) {
      sha256Into(big, s, e, out, 5);
      expect(toHex(out.subarray(5, 37)), `[${s}, ${e})`).toBe(reference(big.subarray(s, e)));
    }
    expect(out[4]).toBe(0xaa);
    expect(out[37]).toBe(0xaa);
  });

  it('writes the digest of every short subarray, at any start and output offset, leaving the rest of the output alone', () => {
    // The sizes the verifier hashes most (commitments, Merkle nodes, leaves), around every
    // padding case: a tail that leaves room for the length in its block, and one that does not.
    const src = Uint8Array.from({ length: 1400 }, (_, i) => (i * 7 + (i >> 5)) & 0xff);
    fc.assert(
      fc.property(fc.nat(100), fc.nat(1300), fc.nat(8), (start, length, at) => {
        const out = new Uint8Array(48).fill(0x5a);
        sha256Into(src, start, start + length, out, at);
        expect(toHex(out.subarray(at, at + 32))).toBe(reference(src.subarray(start, start + length)));
        expect(out.subarray(0, at).every((b) => b === 0x5a) && out.subarray(at + 32).every((b) => b === 0x5a)).toBe(true);
      }),
      { numRuns: 1500 },
    );
    for (let n = 0; n < 200; n++) {
      const out = new Uint8Array(32);
      sha256Into(src, 3, 3 + n, out, 0);
      expect(toHex(out), `length ${n}`).toBe(reference(src.subarray(3, 3 + n)));
    }
  });

  it('takes a range outside the array, or backwards, as subarray would', () => {
    const data = Uint8Array.from({ length: 100 }, (_, i) => i);
    const out = new Uint8Array(32);
    for (const [s, e] of [[0, 120], [90, 200], [5, 2], [-10, 50], [100, 100], [150, 160]] as const) {
      sha256Into(data, s, e, out, 0);
      expect(toHex(out), `[${s}, ${e})`).toBe(reference(data.subarray(s, e)));
    }
  });

  it('returns a fresh array each time, not a view of a buffer it reuses', () => {
    const a = sha256(utf8.encode('a'));
    const b = sha256(utf8.encode('b'));
    expect(toHex(a)).toBe(referenceText('a'));
    expect(toHex(b)).toBe(referenceText('b'));
    expect(a.buffer).not.toBe(b.buffer);
    expect(a.length).toBe(32);
  });

  it('hashes any string as its UTF-8 (lone surrogates as U+FFFD), interleaved with byte inputs and long inputs', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string({ unit: 'binary', maxLength: 400 }),
            fc.string({ unit: 'grapheme', maxLength: 200 }),
            // Long enough to outgrow a 4 KiB scratch array, with 3-byte characters.
            fc.integer({ min: 1000, max: 3000 }).map((n) => 'é€'.repeat(n)),
            fc.uint8Array({ maxLength: 200 }),
          ),
          { minLength: 1, maxLength: 6 },
        ),
        (inputs) => {
          for (const x of inputs) {
            if (typeof x === 'string') {
              expect(sha256Utf8Hex(x)).toBe(referenceText(x));
              expect(toHex(sha256Utf8(x))).toBe(referenceText(x));
            } else {
              expect(toHex(sha256(x))).toBe(reference(x));
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
