import { defineProject } from 'vitest/config';

// The known-answer tests again with `#digest` pinned to the browser implementation
// (@noble/hashes), so both hashing backends are held to the same vectors.
const source = { conditions: ['@stela/source'] };

export default defineProject({
  resolve: { ...source, alias: { '#digest': new URL('./src/digest.ts', import.meta.url).pathname } },
  ssr: { resolve: source },
  test: {
    name: 'audit-chain (noble digest)',
    include: ['test/merkle.test.ts', 'test/vectors.test.ts', 'test/digest.test.ts', 'test/export-verify.test.ts'],
  },
});
