import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fromBase64Url, toBase64, toBase64Url } from '../src/bytes.js';

describe('toBase64Url', () => {
  it('is RFC 4648 §5 base64url without padding, and round-trips', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        const text = toBase64Url(bytes);
        expect(text).toBe(toBase64(bytes).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'));
        expect(fromBase64Url(text)).toEqual(bytes);
      }),
      { numRuns: 500 },
    );
    expect(toBase64Url(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
  });
});
