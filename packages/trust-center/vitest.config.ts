import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@stela/source'] },
  ssr: { resolve: { conditions: ['@stela/source'] } },
  test: {
    name: 'trust-center',
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
