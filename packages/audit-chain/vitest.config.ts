import { defineProject } from 'vitest/config';

const source = { conditions: ['@stela/source'] };

export default defineProject({
  resolve: source,
  ssr: { resolve: source },
  test: {
    name: 'audit-chain',
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
