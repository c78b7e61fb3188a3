import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { scratchDirs } from './helpers.js';

const { tmpRoot, track } = scratchDirs();
const hooks = fileURLToPath(new URL('../scripts/source-hooks.mjs', import.meta.url));
const cli = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));

async function poll(url: string, want: string): Promise<string> {
  let text = '';
  for (let i = 0; i < 100 && !text.includes(want); i++) {
    await new Promise((r) => setTimeout(r, 200));
    text = await fetch(url).then((r) => r.text(), () => '');
  }
  return text;
}

// `stela-trust dev` runs in its own process, as a vendor runs it (the test runner's NODE_ENV
// would otherwise leak into Astro's dev server).
it('dev serves the pages and generated files, and reloads when the config changes', async () => {
  mkdirSync(tmpRoot, { recursive: true });
  const dir = track(mkdtempSync(join(tmpRoot, 'dev-config-')));
  const file = join(dir, 'trust.yaml');
  // The throwaway Astro project `stela-trust dev` keeps per config file.
  track(join(tmpRoot, `dev-${createHash('sha256').update(file).digest('hex').slice(0, 12)}`));
  writeFileSync(file, readFileSync(fileURLToPath(new URL('./fixtures/minimal.yaml', import.meta.url)), 'utf8'));
  const port = 4300 + Math.floor(Math.random() * 600);
  // Astro changes behaviour under a test runner (VITEST, NODE_ENV=test); run it as a vendor would.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(VITEST|NODE_ENV$|TEST$)/.test(k)));
  const child = spawn(process.execPath, ['--experimental-strip-types', '--no-warnings', '--conditions=@stela/source', '--import', hooks, cli, 'dev', file, '--port', String(port)], {
    env: { ...env, ASTRO_TELEMETRY_DISABLED: '1', ASTRO_DISABLE_UPDATE_CHECK: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (d) => (log += d));
  child.stderr?.on('data', (d) => (log += d));
  try {
    const origin = `http://127.0.0.1:${port}`;
    expect(await poll(`${origin}/`, '<title>Tidewell trust center')).toContain('<title>Tidewell trust center');
    expect(await poll(`${origin}/.well-known/security.txt`, 'Contact:')).toContain('Contact: mailto:security@tidewell.example');
    // Give the file watcher a moment to settle before the edit.
    await new Promise((r) => setTimeout(r, 2000));
    writeFileSync(file, readFileSync(file, 'utf8').replace('name: Tidewell', 'name: Tidewell Renamed'));
    expect(await poll(`${origin}/`, 'Tidewell Renamed')).toContain('<title>Tidewell Renamed trust center');
  } catch (e) {
    throw new Error(`${String(e)}\n--- stela-trust dev output ---\n${log}`, { cause: e });
  } finally {
    child.kill();
  }
});
