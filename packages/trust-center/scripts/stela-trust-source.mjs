#!/usr/bin/env node
// Runs `stela-trust` from TypeScript source in a child Node process, for tests and the bench:
//   node scripts/stela-trust-source.mjs build <config> --out <dir>
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const hooks = fileURLToPath(new URL('./source-hooks.mjs', import.meta.url));
const main = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const { NODE_ENV: _ignored, ...env } = process.env;
const run = spawnSync(
  process.execPath,
  ['--experimental-strip-types', '--no-warnings', '--conditions=@stela/source', '--import', hooks, main, ...process.argv.slice(2)],
  { stdio: 'inherit', env: { ...env, ASTRO_TELEMETRY_DISABLED: '1', ASTRO_DISABLE_UPDATE_CHECK: 'true' } },
);
process.exitCode = run.status ?? 1;
