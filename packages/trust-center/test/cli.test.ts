import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type CliIo } from '../src/cli/main.js';
import { NOW, scratchDirs } from './helpers.js';

process.env.ASTRO_TELEMETRY_DISABLED = '1';
process.env.ASTRO_DISABLE_UPDATE_CHECK = 'true';

function io(cwd: string, env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), env, now: () => NOW, cwd };
  return { io: value, out, err };
}

const { tmpRoot, track } = scratchDirs();

describe('stela-trust', () => {
  it('goes from init to a deployable folder in two commands', async () => {
    const cwd = track(mkdtempSync(join(tmpRoot, 'cli-')));
    const a = io(cwd);
    expect(await main(['init'], a.io)).toBe(0);
    expect(await main(['check', 'trust.yaml'], a.io)).toBe(0);
    expect(a.out.at(-1)).toBe('0 error(s), 0 warning(s) in trust.yaml.');
    expect(await main(['build', 'trust.yaml', '--out', 'site'], a.io)).toBe(0);
    expect(a.out.at(-1)).toContain('trust.json unsigned');
    for (const f of ['index.html', 'controls/index.html', 'trust.json', 'subprocessors.json', 'feed.xml', '.well-known/security.txt']) {
      expect(existsSync(join(cwd, 'site', f)), f).toBe(true);
    }
    expect(await main(['init'], a.io)).toBe(2);
  });

  it('exits 1 on config errors and prints positions', async () => {
    const cwd = track(mkdtempSync(join(tmpRoot, 'cli-')));
    const a = io(cwd);
    await main(['init'], a.io);
    const file = join(cwd, 'trust.yaml');
    const broken = readFileSync(file, 'utf8').replace('status: in_place', 'status: done');
    await import('node:fs/promises').then((fs) => fs.writeFile(file, broken));
    expect(await main(['check', 'trust.yaml'], a.io)).toBe(1);
    expect(a.err.join('\n')).toMatchInlineSnapshot(`
      "error ERR_TRUST_CONFIG_INVALID at trust.yaml:26:19
        controls.sections[0].items[0].status: "done" is not allowed here.
        hint: Use one of: in_place, in_progress, planned, not_pursued, not_applicable.
      "
    `);
  });

  it('prints warnings, and fails on them only with --strict', async () => {
    const cwd = track(mkdtempSync(join(tmpRoot, 'cli-')));
    const a = io(cwd);
    await main(['init'], a.io);
    expect(await main(['check', 'trust.yaml', '--now', '2028-01-01'], a.io)).toBe(0);
    expect(a.err.join('\n')).toContain('WARN_TRUST_REVIEW_STALE');
    expect(await main(['check', 'trust.yaml', '--now', '2028-01-01', '--strict'], a.io)).toBe(1);
  });

  it('signs trust.json with a key from the environment', async () => {
    const cwd = track(mkdtempSync(join(tmpRoot, 'cli-')));
    const key = JSON.stringify({ kty: 'OKP', crv: 'Ed25519', d: 'nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' });
    const a = io(cwd, { STELA_TRUST_SIGNING_KEY: key });
    await main(['init'], a.io);
    expect(await main(['build', 'trust.yaml', '--out', 'site'], a.io)).toBe(0);
    expect(a.out.at(-1)).toContain('trust.json signed');
    expect(existsSync(join(cwd, 'site', 'trust.json.jws'))).toBe(true);
    expect(JSON.parse(readFileSync(join(cwd, 'site', '.well-known/trust-keys.json'), 'utf8')).keys[0].kid).toBe('kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k');
  });

  it('refuses output folders the build would wipe', async () => {
    const cwd = track(mkdtempSync(join(tmpRoot, 'cli-')));
    const a = io(cwd);
    await main(['init'], a.io);
    writeFileSync(join(cwd, 'notes.txt'), 'keep me');
    // process.cwd() is the package, so use the config's own folder and a folder of other files.
    expect(await main(['build', 'trust.yaml', '--out', '.'], a.io)).toBe(2);
    expect(a.err.at(-1)).toContain('it contains the config file');
    mkdirSync(join(cwd, 'docs'));
    writeFileSync(join(cwd, 'docs', 'plan.md'), 'keep me too');
    expect(await main(['build', 'trust.yaml', '--out', 'docs'], a.io)).toBe(2);
    expect(a.err.at(-1)).toContain('Pass --force');
    expect(existsSync(join(cwd, 'docs', 'plan.md'))).toBe(true);
  });

  it('rejects unknown commands with usage', async () => {
    const a = io(tmpRoot);
    expect(await main(['publish'], a.io)).toBe(2);
    expect(a.err[0]).toContain('Unknown command "publish"');
  });
});
