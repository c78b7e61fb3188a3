import { defineProject } from 'vitest/config';

// The known-answer tests again with `#digest` pinned to the browser fallback (@noble/hashes), so
// every hashing backend is held to the same vectors (vitest.wasm.config.ts: the WebAssembly one).
const source = { conditions: ['@stela/source'] };

export default defineProject({
  resolve: { ...source, alias: { '#digest': new URL('./src/digest-noble.ts', import.meta.url).pathname } },
  ssr: { resolve: source },
  test: {
    name: 'audit-chain (noble digest)',
    include: ['test/merkle.test.ts', 'test/vectors.test.ts', 'test/digest.test.ts', 'test/export-verify.test.ts'],
  },
});
