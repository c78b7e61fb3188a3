import { defineProject } from 'vitest/config';

// The known-answer tests again with `#digest` pinned to the browser implementation, which hashes
// in WebAssembly wherever it may (Node included), so every backend is held to the same vectors.
const source = { conditions: ['@stela/source'] };

export default defineProject({
  resolve: { ...source, alias: { '#digest': new URL('./src/digest.ts', import.meta.url).pathname } },
  ssr: { resolve: source },
  test: {
    name: 'audit-chain (wasm digest)',
    include: ['test/merkle.test.ts', 'test/vectors.test.ts', 'test/digest.test.ts', 'test/export-verify.test.ts', 'test/verify-row-fast.property.test.ts'],
  },
});
