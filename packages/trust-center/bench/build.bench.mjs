#!/usr/bin/env node
// Bench for @stela/trust-center (issue 3, "Performance"):
//   1. cold builds (fresh Node process each) of a generated config with 100 sub-processors,
//      300 questionnaire answers and 200 controls; target < 10 s;
//   2. the weight of every page (HTML plus the same-origin CSS/JS it loads); budget 100 KB,
//      the verify page excepted;
//   3. the verify page's rows per second in headless Chromium on a `stela-audit sample` export
//      (default 1,000,000 rows; --verify-rows 0 skips it).
// Usage: node packages/trust-center/bench/build.bench.mjs [--runs 3] [--verify-rows 1000000] [--out <file>]
// Under the root runner (`./run bench`, which sets STELA_BENCH_OUT) it reports figures there and
// the runner writes bench/results/trust-center.{json,md}; run alone it writes the JSON itself.
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { stringify } from 'yaml';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '3' }, 'verify-rows': { type: 'string', default: process.env.STELA_BENCH_ROWS ?? '1000000' }, out: { type: 'string' } },
});
const pkg = fileURLToPath(new URL('../', import.meta.url));
const repo = join(pkg, '../..');
const work = join(pkg, '.tmp/bench');
const out = values.out ?? join(repo, 'bench/results/trust-center.json');
const NOW = '2026-11-20T12:00:00.000Z';
const KEY = { kty: 'OKP', crv: 'Ed25519', d: 'nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' };
mkdirSync(work, { recursive: true });

// 1. The generated config. Deterministic: the same input every run.
const statuses = ['in_place', 'in_place', 'in_place', 'in_progress', 'planned', 'not_pursued'];
const config = {
  schema_version: 1,
  organisation: { name: 'Benchco', website: 'https://bench.example', trust_url: 'https://bench.example/trust', contacts: { security: 'security@bench.example' } },
  controls: {
    sections: Array.from({ length: 10 }, (_, s) => ({
      id: `section-${s + 1}`,
      title: `Section ${s + 1}`,
      items: Array.from({ length: 20 }, (_, i) => ({
        id: `control-${s + 1}-${i + 1}`,
        title: `Control ${s + 1}.${i + 1}: a statement about how data is protected`,
        status: statuses[(s * 20 + i) % statuses.length],
        details: 'Details of the control, with **emphasis** and a [link](https://bench.example/evidence).',
        reviewed_at: '2026-10-01',
        ...(statuses[(s * 20 + i) % statuses.length] === 'in_progress' ? { target_date: '2027-06-30' } : {}),
      })),
    })),
  },
  subprocessors: {
    entries: Array.from({ length: 100 }, (_, i) => ({
      name: `Vendor ${i + 1}`,
      purpose: 'Processing on our behalf',
      data_categories: ['account data'],
      locations: [i % 2 ? 'Ireland' : 'United States'],
      certifications: ['SOC 2 Type II'],
      transfer_mechanism: i % 2 ? 'none_needed' : 'eu_sccs',
      effective_from: '2025-01-01',
      ...(i % 10 === 9 ? { ended_at: '2026-03-31' } : {}),
    })),
  },
  compliance: { frameworks: [{ framework: 'gdpr', status: 'compliant' }] },
  audit_logging: { keys: [{ x: KEY.x }] },
  disclosure: { policy: 'Email security@bench.example.' },
  questionnaire: {
    categories: Array.from({ length: 10 }, (_, c) => ({
      id: `category-${c + 1}`,
      title: `Category ${c + 1}`,
      questions: Array.from({ length: 30 }, (_, q) => ({
        question: `Question ${c + 1}.${q + 1}: how do you handle this aspect of security?`,
        short_answer: 'yes',
        answer: 'We handle it carefully, with controls that are reviewed every year and evidence on request.',
        reviewed_at: '2026-10-01',
      })),
    })),
  },
  updates: Array.from({ length: 20 }, (_, i) => ({ date: `2026-${String((i % 9) + 1).padStart(2, '0')}-15`, category: 'security', title: `Update ${i + 1}`, body: 'Something changed.' })),
};
const configFile = join(work, 'trust.yaml');
writeFileSync(configFile, stringify(config));

// 2. Cold builds through the CLI: the built bin when present, else the TypeScript source.
const dist = join(pkg, 'dist/cli/main.js');
const cliArgs = existsSync(dist) ? [dist] : [join(pkg, 'scripts/stela-trust-source.mjs')];
const { NODE_ENV: _ignored, ...env } = process.env;
const site = join(work, 'site');
const runs = [];
for (let i = 0; i < Number(values.runs); i++) {
  rmSync(site, { recursive: true, force: true });
  const started = performance.now();
  const run = spawnSync(process.execPath, [...cliArgs, 'build', configFile, '--out', site, '--now', NOW], { encoding: 'utf8', env: { ...env, ASTRO_TELEMETRY_DISABLED: '1', ASTRO_DISABLE_UPDATE_CHECK: 'true' } });
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== 0) {
    process.stderr.write(run.stderr);
    throw new Error(`build failed (exit ${run.status})`);
  }
  runs.push(Number(seconds.toFixed(3)));
}

// Page weight: the HTML plus every same-origin script and stylesheet it pulls in, recursively.
// Reported raw and gzip-compressed (what a static host actually transfers).
function assetsOf(file, seen, measure) {
  const text = readFileSync(file, 'utf8');
  const refs = [...text.matchAll(/(?:src|href|component-url|renderer-url)="(\/_astro\/[^"]+)"/g)].map((m) => join(site, m[1]));
  const imports = [...text.matchAll(/from"\.\/([^"]+\.js)"|import\("\.\/([^"]+\.js)"\)/g)].map((m) => join(dirname(file), m[1] ?? m[2]));
  let bytes = measure(readFileSync(file));
  for (const ref of [...refs, ...imports]) {
    if (seen.has(ref) || !existsSync(ref)) continue;
    seen.add(ref);
    bytes += assetsOf(ref, seen, measure);
  }
  return bytes;
}
const pages = {};
const pagesGzip = {};
for (const dir of ['', ...readdirSync(site).filter((d) => existsSync(join(site, d, 'index.html')))]) {
  const key = `/${dir}${dir ? '/' : ''}`;
  pages[key] = assetsOf(join(site, dir, 'index.html'), new Set(), (b) => b.length);
  pagesGzip[key] = assetsOf(join(site, dir, 'index.html'), new Set(), (b) => gzipSync(b).length);
}

// 3. Verify throughput in headless Chromium, on a real `stela-audit sample` export.
let verify = { skipped: 'audit-chain CLI not built (packages/audit-chain/dist/cli/main.js)' };
const rows = Number(values['verify-rows']);
const stelaAudit = join(repo, 'packages/audit-chain/dist/cli/main.js');
if (rows > 0 && existsSync(stelaAudit) && existsSync('/usr/bin/chromium')) {
  const keyFile = join(work, 'audit-key.private.jwk');
  writeFileSync(keyFile, JSON.stringify(KEY));
  const sample = join(work, `sample-${rows}.csv`);
  if (!existsSync(sample)) {
    const gen = spawnSync(process.execPath, [stelaAudit, 'sample', '--rows', String(rows), '--key', keyFile, '--out', sample], { encoding: 'utf8' });
    if (gen.status !== 0) throw new Error(`stela-audit sample failed: ${gen.stderr}`);
  }
  const server = createServer((req, res) => {
    let file = normalize(join(site, decodeURIComponent(req.url.split('?')[0])));
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!file.startsWith(site) || !existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json' }[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/verify/`, { waitUntil: 'networkidle' });
    const started = performance.now();
    await page.getByTestId('verify-input').setInputFiles(sample);
    await page.locator('[data-testid="verify-status"][data-phase="done"]').waitFor({ timeout: 600_000 });
    const wall = (performance.now() - started) / 1000;
    const ok = await page.getByTestId('verify-status').getAttribute('data-ok');
    const islandMs = Number((await page.getByTestId('verify-ms').textContent()).replace(/\D/g, ''));
    verify = { rows, bytes: statSync(sample).size, ok: ok === 'true', seconds: Number((islandMs / 1000).toFixed(3)), rows_per_second: Math.round(rows / (islandMs / 1000)), wall_seconds_including_file_handoff: Number(wall.toFixed(3)) };
  } finally {
    await browser.close();
    server.close();
  }
}

const result = {
  package: '@stela/trust-center',
  date: new Date().toISOString(),
  node: process.version,
  config: { subprocessors: 100, questionnaire_answers: 300, controls: 200 },
  cold_build_seconds: { runs, median: [...runs].sort((a, b) => a - b)[Math.floor(runs.length / 2)], target: 10 },
  page_weight_bytes: pages,
  page_weight_gzip_bytes: pagesGzip,
  page_budget_bytes: 100 * 1024,
  over_budget_uncompressed: Object.entries(pages).filter(([p, b]) => p !== '/verify/' && b > 100 * 1024).map(([p]) => p),
  verify,
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
if (process.env.STELA_BENCH_OUT && !values.out) {
  // The root runner's figure shape (see packages/audit-chain/bench/_lib.mjs).
  const figures = [];
  const median = result.cold_build_seconds.median;
  figures.push({
    title: 'Cold build: 100 sub-processors, 300 answers, 200 controls',
    value: median,
    unit: 's',
    n: runs.length,
    samples: runs,
    target: { text: '< 10 s', op: '<=', value: 10, of: 'value' },
    pass: median <= 10,
    notes: 'A fresh Node process per run through the stela-trust CLI, Astro build included.',
  });
  for (const [page, gz] of Object.entries(pagesGzip)) {
    const verifyPage = page === '/verify/';
    figures.push({
      title: `Page weight ${page} (transferred, gzip)`,
      value: Math.round((gz / 1024) * 10) / 10,
      unit: 'KB',
      ...(verifyPage ? {} : { target: { text: '< 100 KB', op: '<=', value: 100, of: 'value' }, pass: gz <= 100 * 1024 }),
      notes: `${Math.round(pages[page] / 1024)} KB uncompressed; HTML plus the same-origin CSS and JS it loads.${verifyPage ? ' The verifier is exempt from the budget.' : ''}`,
    });
  }
  if (verify.rows_per_second) {
    figures.push({ title: `Verify page: rows per second (${verify.rows.toLocaleString('en-US')}-row export, headless Chromium)`, value: verify.rows_per_second, unit: 'rows/s', notes: `${(verify.bytes / 2 ** 20).toFixed(0)} MiB export verified in ${verify.seconds} s; ok=${verify.ok}.` });
  }
  writeFileSync(process.env.STELA_BENCH_OUT, JSON.stringify({ figures }, null, 2));
} else {
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
}
