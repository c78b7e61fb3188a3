import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@stela/source'] },
  ssr: { resolve: { conditions: ['@stela/source'] } },
  test: {
    name: 'audit-chain',
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
