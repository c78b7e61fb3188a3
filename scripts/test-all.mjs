#!/usr/bin/env node
// `./run test`: the whole suite, in the order that fails fastest on a broken tree.
// 1. environment: Postgres reachable (started if not), Chromium present (installed if not)
// 2. typecheck, 3. build + publint + are-the-types-wrong, 4. vitest (every package project)
import { spawnSync } from 'node:child_process';
import { ensureChromium, ensurePostgres } from './environment.mjs';

const step = (title) => console.log(`\n▶ ${title}`);
const run = (cmd, args, opts = {}) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    console.error(`\n✗ ${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}`);
    process.exit(r.status || 1);
  }
};

step('environment');
await ensurePostgres();
ensureChromium();

step('typecheck');
run('pnpm', ['-r', '--filter', './packages/*', 'run', 'typecheck']);

step('build, publint, are-the-types-wrong');
run('pnpm', ['-r', '--filter', './packages/*', 'run', 'build']);
run('pnpm', ['-r', '--filter', './packages/*', 'run', 'lint:package']);

step('API reference (typedoc)');
run('pnpm', ['run', 'docs:api', '--logLevel', 'Error']);

step('tests');
run('pnpm', ['exec', 'vitest', 'run', ...process.argv.slice(2)]);
