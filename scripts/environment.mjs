// The services and programs that `./run test` and `./run bench` need, arranged on a fresh machine
// of ours: a reachable Postgres (started if it is installed but down) and Debian's Chromium
// (installed with apt-get when running as root). Each reports what it found.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import net from 'node:net';

export const CHROMIUM = '/usr/bin/chromium';

function portOpen(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const s = net.connect({ port, host });
    s.once('connect', () => (s.end(), resolve(true)));
    s.once('error', () => resolve(false));
    s.setTimeout(1000, () => (s.destroy(), resolve(false)));
  });
}

/** Sets DATABASE_URL if unset and starts the local cluster if nothing listens on 5432. */
export async function ensurePostgres() {
  process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
  if (!(await portOpen(5432))) {
    const versions = existsSync('/etc/postgresql') ? readdirSync('/etc/postgresql') : [];
    if (versions.length) {
      console.log('  starting PostgreSQL');
      spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', versions[0], 'main', 'start'], { stdio: 'inherit' });
    }
    for (let i = 0; i < 20 && !(await portOpen(5432)); i++) await new Promise((r) => setTimeout(r, 500));
  }
  const up = await portOpen(5432);
  console.log(`  postgres: ${up ? 'reachable' : 'NOT reachable (real-server tests will fail)'}`);
  return up;
}

/** Installs Debian's chromium when it is missing and we may (root, apt-get present). */
export function ensureChromium() {
  if (!existsSync(CHROMIUM) && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    console.log('  installing Debian chromium for browser tests');
    spawnSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null'], { stdio: 'inherit' });
  }
  const present = existsSync(CHROMIUM);
  console.log(`  chromium: ${present ? CHROMIUM : 'missing'}`);
  return present;
}
