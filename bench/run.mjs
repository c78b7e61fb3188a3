#!/usr/bin/env node
// `./run bench` (`pnpm bench`): builds each package that has benchmarks, runs its
// `packages/<pkg>/bench/*.mjs` one by one (files starting with `_` are helpers), and writes
// bench/results/<pkg>.json, bench/results/<pkg>.md and a combined bench/results/README.md.
//
// A bench script reports by writing `{ "figures": [...] }` to the path in STELA_BENCH_OUT
// (see packages/audit-chain/bench/_lib.mjs for the figure shape). A script that writes nothing
// (trust-center's, for now) is run and its output passed through. Baselines are measured in the
// same run as what they are compared with; the tables show target, measured and pass/fail.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureChromium, ensurePostgres } from '../scripts/environment.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const resultsDir = join(root, 'bench', 'results');
mkdirSync(resultsDir, { recursive: true });
const only = process.argv.slice(2); // optional: package names or script names to run

// The Postgres and browser benchmarks need both, as the tests do.
console.log('▶ environment');
await ensurePostgres();
ensureChromium();

const packages = readdirSync(join(root, 'packages'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(root, 'packages', d.name, 'bench')))
  .map((d) => ({ name: d.name, dir: join(root, 'packages', d.name) }))
  .map((p) => ({ ...p, scripts: readdirSync(join(p.dir, 'bench')).filter((f) => f.endsWith('.mjs') && !f.startsWith('_')).sort() }))
  .filter((p) => p.scripts.length > 0)
  .filter((p) => only.length === 0 || only.includes(p.name) || p.scripts.some((s) => only.includes(s) || only.includes(s.replace(/\.mjs$/, ''))));

const machine = () => ({
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? 'unknown',
  memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
  node: process.version,
  loadAverage1m: Math.round(loadavg()[0] * 100) / 100,
});

const summary = [];
for (const pkg of packages) {
  const manifest = JSON.parse(readFileSync(join(pkg.dir, 'package.json'), 'utf8'));
  console.log(`\n▶ ${manifest.name}: build`);
  const build = spawnSync('pnpm', ['--filter', manifest.name, 'run', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    console.error(`✗ build of ${manifest.name} failed; skipping its benchmarks`);
    summary.push({ pkg: pkg.name, name: manifest.name, figures: [], errors: [`build failed (exit ${build.status})`] });
    continue;
  }
  const figures = [];
  const errors = [];
  const started = { at: new Date().toISOString(), machine: machine() };
  for (const script of pkg.scripts) {
    if (only.length && !only.includes(pkg.name) && !only.includes(script) && !only.includes(script.replace(/\.mjs$/, ''))) continue;
    console.log(`\n▶ ${manifest.name}: bench/${script}`);
    const out = join(tmpdir(), `stela-bench-${process.pid}-${pkg.name}-${script}.json`);
    rmSync(out, { force: true });
    const t0 = Date.now();
    const r = spawnSync(process.execPath, [join(pkg.dir, 'bench', script)], { cwd: pkg.dir, stdio: 'inherit', env: { ...process.env, STELA_BENCH_OUT: out } });
    const secs = ((Date.now() - t0) / 1000).toFixed(0);
    if (existsSync(out)) {
      for (const f of JSON.parse(readFileSync(out, 'utf8')).figures ?? []) figures.push({ script, ...f });
      rmSync(out, { force: true });
    }
    if (r.status !== 0) errors.push(`bench/${script} exited with ${r.status ?? r.signal} after ${secs} s`);
    console.log(`  (${secs} s)`);
  }
  const result = { package: manifest.name, generatedAt: new Date().toISOString(), started, finished: { machine: machine() }, figures, errors };
  // Only write a package's results when it reported something: a pass-through script leaves none.
  if (figures.length || errors.length) {
    writeFileSync(join(resultsDir, `${pkg.name}.json`), JSON.stringify(result, null, 2) + '\n');
    writeFileSync(join(resultsDir, `${pkg.name}.md`), renderPackage(result));
  }
  summary.push({ pkg: pkg.name, name: manifest.name, figures, errors, result });
}

if (only.length === 0) writeFileSync(join(resultsDir, 'README.md'), renderReadme(summary));
else console.log('\n(partial run: bench/results/README.md left as it was)');
const failed = summary.flatMap((s) => s.figures.filter((f) => f.pass === false).map((f) => `${s.name}: ${f.title}`));
console.log(`\nResults in bench/results/. ${failed.length ? `Below target: ${failed.length}\n  - ` + failed.join('\n  - ') : 'Every figure with a target meets it.'}`);
const errored = summary.flatMap((s) => s.errors.map((e) => `${s.name}: ${e}`));
if (errored.length) {
  console.error('Errors:\n  - ' + errored.join('\n  - '));
  process.exitCode = 1;
}

function fmt(v, unit) {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  const digits = Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2;
  return `${v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 })}${unit ? ' ' + unit : ''}`;
}

function resultCell(f) {
  if (f.pass === true) return '✅ pass';
  if (f.pass === false) return '❌ fail';
  return 'info';
}

function tableRows(figures) {
  return figures.map((f) => {
    const baseline = f.baseline ? `${f.baseline.title}: ${fmt(f.baseline.value, f.baseline.unit)}` : '—';
    const ratio = f.ratio !== undefined ? fmt(f.ratio, '×') : '—';
    return `| ${f.title} | ${f.target?.text ?? '—'} | ${fmt(f.value, f.unit)} (n=${f.n ?? 1}) | ${baseline} | ${ratio} | ${resultCell(f)} |`;
  });
}

function renderPackage(r) {
  const m = r.started.machine;
  const lines = [
    `# ${r.package} benchmarks`,
    '',
    `Run ${r.generatedAt} on ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}; load average ${m.loadAverage1m} at start, ${r.finished.machine.loadAverage1m} at the end.`,
    'Generated by `./run bench`; the JSON next to this file has every figure with its unit, n, samples and baseline.',
    '',
    '| Figure | Target | Measured | Baseline (same run) | Ratio | Result |',
    '|---|---|---|---|---|---|',
    ...tableRows(r.figures),
    '',
  ];
  const notes = r.figures.filter((f) => f.notes).map((f) => `- **${f.title}**: ${f.notes}`);
  if (notes.length) lines.push('Notes:', '', ...notes, '');
  if (r.errors.length) lines.push('Errors:', '', ...r.errors.map((e) => `- ${e}`), '');
  return lines.join('\n');
}

function renderReadme(all) {
  const lines = ['# Benchmark results', '', 'Generated by `./run bench` (`node bench/run.mjs`). Per-package detail: the `<package>.md` and `<package>.json` files here.', ''];
  for (const s of all) {
    if (!s.figures.length && !s.errors.length) {
      lines.push(`## ${s.name}`, '', 'Its bench scripts ran with their own output (no figures reported).', '');
      continue;
    }
    const m = s.result?.started.machine;
    lines.push(`## ${s.name}`, '');
    if (m) lines.push(`${m.cpus} × ${m.cpuModel}, Node ${m.node}, load average ${m.loadAverage1m} at start.`, '');
    lines.push('| Figure | Target | Measured | Baseline (same run) | Ratio | Result |', '|---|---|---|---|---|---|', ...tableRows(s.figures), '');
    if (s.errors.length) lines.push(...s.errors.map((e) => `- error: ${e}`), '');
  }
  return lines.join('\n');
}
