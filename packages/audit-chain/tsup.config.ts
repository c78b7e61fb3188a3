import { existsSync } from 'node:fs';
import { defineConfig } from 'tsup';

// `#digest` and `#byte-search` stay imports in the output: package.json `imports` picks
// `dist/digest-node.js` and `dist/byte-search-node.js` under the `node` condition and the web
// files elsewhere at run time, so one build serves Node and browsers without sniffing the
// runtime. Dependencies are external by default.
const external = ['#digest', '#byte-search', /^node:/];

// The Postgres store lands in its own issue; build it once it exists.
const optional = ['src/store/postgres.ts'].filter((f) => existsSync(f));

export default defineConfig([
  {
    name: 'library',
    entry: ['src/index.ts', 'src/digest.ts', 'src/digest-noble.ts', 'src/digest-node.ts', 'src/byte-search.ts', 'src/byte-search-node.ts', 'src/verify-node.ts', 'src/sample.ts', 'src/verify-runner-node.ts', 'src/verify-worker-node.ts', 'src/verify-runner-web.ts', 'src/verify-worker-web.ts', ...optional],
    format: 'esm',
    platform: 'neutral',
    target: 'node20',
    dts: { compilerOptions: { types: ['node'] } },
    sourcemap: true,
    splitting: true,
    // The two builds run concurrently: the library cleans everything but the CLI's output.
    clean: ['!cli/**'],
    external,
    removeNodeProtocol: false,
  },
  {
    name: 'cli',
    entry: { 'cli/main': 'src/cli/main.ts' },
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    splitting: false,
    external,
    removeNodeProtocol: false,
    banner: { js: '#!/usr/bin/env node' },
  },
]);
