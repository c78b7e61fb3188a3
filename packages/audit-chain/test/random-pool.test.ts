import { expect, it } from 'vitest';
import { createRandomPool } from '../src/random-pool.js';

it('yields fresh, distinct bytes across pool refills and oversized requests', () => {
  const next = createRandomPool(64);
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const b = next(16);
    expect(b).toHaveLength(16);
    const hex = Buffer.from(b).toString('hex');
    expect(seen.has(hex)).toBe(false);
    seen.add(hex);
  }
  expect(next(100)).toHaveLength(100);
  // Not all zero (the pool zeroes what it hands out; the copy must keep the bytes).
  expect(next(32).some((x) => x !== 0)).toBe(true);
});
