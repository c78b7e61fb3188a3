// Helpers shared by the audit-chain benchmarks (files starting with `_` are not benchmarks).
// Benchmarks run against the built package (dist/), as users get it: bench/run.mjs builds first.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const pkgDir = dirname(dirname(fileURLToPath(import.meta.url)));
export const dist = join(pkgDir, 'dist');
export const cacheDir = join(dirname(dirname(pkgDir)), 'bench', '.cache', 'audit-chain');
export const cli = join(dist, 'cli', 'main.js');

/** Rows of the large sample; STELA_BENCH_ROWS overrides it for a quick run (the figures say so). */
export const ROWS = Number(process.env.STELA_BENCH_ROWS ?? 1_000_000);
export const SMALL_ROWS = Math.min(200_000, Math.max(1, Math.floor(ROWS / 5)));

export function requireDist() {
  for (const f of ['index.js', 'verify-node.js', 'verify-runner-node.js', 'verify-worker-node.js', 'cli/main.js']) {
    if (!existsSync(join(dist, f))) throw new Error(`dist/${f} is missing: build first (./run pnpm --filter @stela/audit-chain build, or ./run bench which builds)`);
  }
}

/** CPU seconds of this process, every thread included (so worker threads count). */
export function cpuSeconds() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

export const load = () => Math.round(loadavg()[0] * 100) / 100;

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const figures = [];

/**
 * Records one figure. `value` in `unit`, from `n` runs (`samples` when n > 1). A figure compared
 * with a baseline measured in the same run carries `baseline` and `ratio`; one with a goal carries
 * `target` ({ text, op: '>=' | '<=', value, of: 'value' | 'ratio' }) and gets `pass`.
 */
export function figure(f) {
  const out = { ...f };
  if (out.baseline && out.ratio === undefined && out.baseline.value) out.ratio = round(out.value / out.baseline.value, 3);
  if (out.target) {
    const x = out.target.of === 'ratio' ? out.ratio : out.value;
    out.pass = x === undefined || x === null || Number.isNaN(x) ? false : out.target.op === '>=' ? x >= out.target.value : x <= out.target.value;
  }
  figures.push(out);
  const shown = `${out.value?.toLocaleString('en-US', { maximumFractionDigits: 2 })} ${out.unit}`;
  console.log(`  ${out.pass === undefined ? '·' : out.pass ? '✓' : '✗'} ${out.title}: ${shown}${out.ratio !== undefined ? ` (${out.ratio}× ${out.baseline.title})` : ''}${out.target ? ` [target ${out.target.text}]` : ''}`);
  flush();
  return out;
}

function flush() {
  if (process.env.STELA_BENCH_OUT) writeFileSync(process.env.STELA_BENCH_OUT, JSON.stringify({ figures }, null, 2));
}

export const round = (x, digits = 0) => Math.round(x * 10 ** digits) / 10 ** digits;

function run(args, what) {
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/**
 * A signed sample export of `rows` rows made by the built CLI (`stela-audit sample`), cached in
 * bench/.cache/. Sampling is deterministic (fixed seed and key, Ed25519 signatures), so the cache
 * is keyed by the bytes of a 200-row probe (which crosses the first scheduled erasure): a changed
 * generator or format makes a new file, a rebuilt but equivalent CLI reuses the old one.
 */
export function ensureSample(rows) {
  mkdirSync(cacheDir, { recursive: true });
  const keysDir = join(cacheDir, 'keys');
  const key = join(keysDir, 'audit-key.private.jwk');
  if (!existsSync(join(keysDir, 'audit-keys.json'))) run([cli, 'keygen', '--out', keysDir], 'stela-audit keygen');
  const probe = join(cacheDir, 'probe.csv');
  run([cli, 'sample', '--rows', '200', '--key', key, '--out', probe], 'stela-audit sample');
  const version = createHash('sha256').update(readFileSync(probe)).digest('hex').slice(0, 12);
  rmSync(probe, { force: true });
  const file = join(cacheDir, `sample-${rows}-${version}.csv`);
  if (!existsSync(file)) {
    for (const old of readdirSync(cacheDir)) if (old.startsWith(`sample-${rows}-`)) rmSync(join(cacheDir, old), { force: true });
    const t = Date.now();
    console.log(`  generating ${rows.toLocaleString('en-US')} sample rows with stela-audit sample (cached in bench/.cache/)…`);
    run([cli, 'sample', '--rows', String(rows), '--key', key, '--out', file + '.tmp'], 'stela-audit sample');
    renameSync(file + '.tmp', file);
    console.log(`  generated in ${((Date.now() - t) / 1000).toFixed(0)} s`);
  }
  return { file, keysFile: join(keysDir, 'audit-keys.json'), bytes: statSync(file).size, rows };
}

/** Runs `script args…` in a child Node process and parses the JSON it prints last. */
export function child(script, args, { timeoutMs = 15 * 60_000, nodeFlags = [] } = {}) {
  const r = spawnSync(process.execPath, [...nodeFlags, join(pkgDir, 'bench', script), ...args], { encoding: 'utf8', maxBuffer: 1 << 24, timeout: timeoutMs });
  if (r.status !== 0) throw new Error(`${script} ${args.join(' ')} failed (exit ${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

/**
 * Drops a scratch database the benchmark made, even while a connection that a failed run left
 * open is still on it (WITH (FORCE), PostgreSQL 13+), retrying while one is just closing
 * (SQLSTATE 55006).
 */
export async function dropScratchDatabase(admin, name) {
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      return;
    } catch (e) {
      if (e.code !== '55006' || attempt > 100) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
