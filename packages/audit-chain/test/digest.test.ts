import { describe, expect, it } from 'vitest';
import { sha256, digestBackend } from '#digest';
import { sha256 as nobleSha256 } from '../src/digest.js';
import { toHex, utf8 } from '../src/bytes.js';

// NIST FIPS 180-2 examples (also RFC 6234 §8.5).
const VECTORS: [string, string][] = [
  ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
];

describe(`sha256 (${digestBackend})`, () => {
  it.each(VECTORS)('hashes %j', (input, expected) => {
    expect(toHex(sha256(utf8.encode(input)))).toBe(expected);
  });

  it('agrees with @noble/hashes on many lengths', () => {
    for (let n = 0; n < 300; n += 7) {
      const data = Uint8Array.from({ length: n }, (_, i) => (i * 13 + n) & 0xff);
      expect(toHex(sha256(data))).toBe(toHex(nobleSha256(data)));
    }
  });
});
