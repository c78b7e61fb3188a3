import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'config/index': 'src/config/index.ts',
    'emit/index': 'src/emit/index.ts',
    integration: 'src/integration.ts',
    'cli/main': 'src/cli/main.ts',
  },
  format: ['esm'],
  target: 'node22',
  dts: { entry: { index: 'src/index.ts', 'config/index': 'src/config/index.ts', 'emit/index': 'src/emit/index.ts', integration: 'src/integration.ts' } },
  sourcemap: true,
  clean: true,
  splitting: true,
  // Astro, React and the routes stay external: routes ship as source and are compiled by the
  // vendor's Astro build.
  external: ['astro', '@astrojs/react', 'react', 'react-dom', '@stela/audit-chain'],
});
