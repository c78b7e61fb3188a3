#!/usr/bin/env node
// `./run test`: the whole suite, in the order that fails fastest on a broken tree.
// 1. environment: Postgres reachable (started if not), Chromium present (installed if not)
// 2. typecheck, 3. build + publint + are-the-types-wrong, 4. vitest (every package project)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import net from 'node:net';

const step = (title) => console.log(`\n▶ ${title}`);
const run = (cmd, args, opts = {}) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    console.error(`\n✗ ${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}`);
    process.exit(r.status || 1);
  }
};

function portOpen(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const s = net.connect({ port, host });
    s.once('connect', () => (s.end(), resolve(true)));
    s.once('error', () => resolve(false));
    s.setTimeout(1000, () => (s.destroy(), resolve(false)));
  });
}

step('environment');
process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
if (!(await portOpen(5432))) {
  const versions = existsSync('/etc/postgresql') ? readdirSync('/etc/postgresql') : [];
  if (versions.length) {
    console.log('  starting PostgreSQL');
    spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', versions[0], 'main', 'start'], { stdio: 'inherit' });
  }
  for (let i = 0; i < 20 && !(await portOpen(5432)); i++) await new Promise((r) => setTimeout(r, 500));
}
console.log(`  postgres: ${(await portOpen(5432)) ? 'reachable' : 'NOT reachable (real-server tests will fail)'}`);
if (!existsSync('/usr/bin/chromium') && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
  console.log('  installing Debian chromium for browser tests');
  spawnSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null'], { stdio: 'inherit' });
}
console.log(`  chromium: ${existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : 'missing'}`);

step('typecheck');
run('pnpm', ['-r', '--filter', './packages/*', 'run', 'typecheck']);

step('build, publint, are-the-types-wrong');
run('pnpm', ['-r', '--filter', './packages/*', 'run', 'build']);
run('pnpm', ['-r', '--filter', './packages/*', 'run', 'lint:package']);

step('API reference (typedoc)');
run('pnpm', ['run', 'docs:api', '--logLevel', 'Error']);

step('tests');
run('pnpm', ['exec', 'vitest', 'run', ...process.argv.slice(2)]);
