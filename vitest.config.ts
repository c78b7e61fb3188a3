import { defineConfig } from 'vitest/config';

// One vitest project per package. Each package's own vitest.config.ts resolves workspace
// packages through the `@stela/source` export condition, so tests need no prior build.
export default defineConfig({
  test: {
    projects: ['packages/*/vitest*.config.ts'],
  },
});
