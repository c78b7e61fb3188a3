// The verifier in headless Chromium (Debian's /usr/bin/chromium via playwright-core): the built
// package bundled for browsers (esbuild, `#digest` → dist/digest.js: WebAssembly SHA-256), a page
// and the sample export served from 127.0.0.1, the export fetched into a Blob in the page, and
// `verifyExport(blob)` timed with the Web Worker runner on the large sample and, as the baseline,
// on the main thread alone on the 200k-row sample (rows/s compared; the main-thread run at full
// size would add a minute or more to `./run bench`, STELA_BENCH_BROWSER_INLINE_FULL=1 does it).
import { createReadStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ROWS, SMALL_ROWS, cacheDir, dist, ensureSample, figure, load, requireDist, round } from './_lib.mjs';

requireDist();
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing (./run test installs Debian chromium; or set CHROMIUM_PATH)`);
const TIMEOUT_S = Number(process.env.STELA_BENCH_BROWSER_TIMEOUT_S ?? 240);
// A single run varies by a tenth or more here, so the Web Worker run is repeated and its median
// reported (all runs are in the samples).
const REPEATS = Number(process.env.STELA_BENCH_BROWSER_REPEATS ?? 3);
const sample = ensureSample(ROWS);
const inlineSample = process.env.STELA_BENCH_BROWSER_INLINE_FULL === '1' ? sample : ensureSample(SMALL_ROWS);
const sizeNote = ROWS === 1_000_000 ? '' : ` (STELA_BENCH_ROWS=${ROWS})`;

// esbuild comes with tsup; resolve it from there rather than depending on it directly.
const esbuild = createRequire(createRequire(import.meta.url).resolve('tsup'))('esbuild');
const out = join(cacheDir, 'browser');
mkdirSync(out, { recursive: true });
const digestPlugin = { name: 'digest', setup: (b) => b.onResolve({ filter: /^#digest$/ }, () => ({ path: join(dist, 'digest.js') })) };
const common = { bundle: true, format: 'esm', platform: 'browser', target: 'es2022', logLevel: 'error', plugins: [digestPlugin] };
await esbuild.build({
  ...common,
  stdin: {
    resolveDir: dist,
    contents: `
      import { verifyExport } from './index.js';
      import { createWebWorkerRunner } from './verify-runner-web.js';
      window.runVerify = async (mode, path) => {
        const keys = await (await fetch('/keys.json')).json();
        const t0 = performance.now();
        const blob = await (await fetch(path)).blob();
        const fetchMs = performance.now() - t0;
        const runner = mode === 'workers' ? createWebWorkerRunner({ workerUrl: '/worker.js' }) : undefined;
        const t1 = performance.now();
        const report = await verifyExport(blob, { keys, ...(runner ? { runner } : {}) });
        const verifyMs = performance.now() - t1;
        await runner?.close();
        return { ok: report.ok, code: report.code, message: report.message, rows: report.rows, bytes: blob.size, digestBackend: report.digestBackend, fetchMs, verifyMs, workers: runner?.workers ?? 0, hardwareConcurrency: navigator.hardwareConcurrency, userAgent: navigator.userAgent };
      };`,
  },
  outfile: join(out, 'page.js'),
});
await esbuild.build({ ...common, entryPoints: [join(dist, 'verify-worker-web.js')], outfile: join(out, 'worker.js') });
writeFileSync(join(out, 'index.html'), '<!doctype html><meta charset="utf-8"><title>verify bench</title><script type="module" src="/page.js"></script>\n');

const files = {
  '/': [join(out, 'index.html'), 'text/html; charset=utf-8'],
  '/page.js': [join(out, 'page.js'), 'text/javascript'],
  '/worker.js': [join(out, 'worker.js'), 'text/javascript'],
  '/keys.json': [sample.keysFile, 'application/json'],
  '/sample.csv': [sample.file, 'text/csv'],
  '/inline-sample.csv': [inlineSample.file, 'text/csv'],
};
const server = createServer((req, res) => {
  const f = files[new URL(req.url, 'http://x').pathname];
  if (!f) return void res.writeHead(404).end();
  res.writeHead(200, { 'content-type': f[1], 'content-length': statSync(f[0]).size, 'cache-control': 'no-store' });
  createReadStream(f[0]).pipe(res);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const results = { workers: [], inline: [] };
  const plan = [...Array.from({ length: REPEATS }, () => ['workers', '/sample.csv']), ['inline', '/inline-sample.csv']];
  for (const [mode, path] of plan) {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(origin + '/');
    await page.waitForFunction(() => typeof window.runVerify === 'function');
    let timer;
    const r = await Promise.race([
      page.evaluate(([m, p]) => window.runVerify(m, p), [mode, path]),
      new Promise((resolve) => (timer = setTimeout(() => resolve({ timedOut: true }), TIMEOUT_S * 1000))),
    ]);
    clearTimeout(timer);
    await page.close();
    if (r.timedOut) {
      results[mode].push({ timedOut: true });
      console.log(`  ${mode}: no result within ${TIMEOUT_S} s`);
      continue;
    }
    if (!r.ok) throw new Error(`browser verification (${mode}) failed: ${r.code} ${r.message} ${errors.join('; ')}`);
    results[mode].push({ ...r, load: load() });
    console.log(`  ${mode}: ${(r.verifyMs / 1000).toFixed(1)} s for ${r.rows.toLocaleString('en-US')} rows (fetch into a Blob: ${(r.fetchMs / 1000).toFixed(1)} s), ${r.workers} workers, load ${load()}`);
  }
  const first = (mode) => results[mode].find((r) => !r.timedOut) ?? {};
  const version = (first('workers').userAgent ?? first('inline').userAgent ?? '').match(/Chrome\/([\d.]+)/)?.[1] ?? browser.version();
  const fig = (mode) => {
    const done = results[mode].filter((r) => !r.timedOut);
    if (done.length < results[mode].length) return { value: null, n: 0, notes: `${results[mode].length - done.length} of ${results[mode].length} runs did not finish within ${TIMEOUT_S} s` };
    const r = [...done].sort((a, b) => a.verifyMs - b.verifyMs)[(done.length - 1) >> 1];
    const samples = done.map((x) => ({ verifyMs: round(x.verifyMs), fetchMs: round(x.fetchMs), rows: x.rows, bytes: x.bytes, loadAverage: x.load }));
    return { value: round(r.verifyMs / 1000, 2), n: done.length, samples, rate: round(r.rows / (r.verifyMs / 1000)), range: done.map((x) => round(x.verifyMs / 1000, 1)).sort((a, b) => a - b).join(', ') };
  };
  const inl = fig('inline');
  const wrk = fig('workers');
  const inlineRows = inlineSample.rows.toLocaleString('en-US');
  figure({
    id: 'verify.browser.workers', title: `Browser: verify ${ROWS.toLocaleString('en-US')} rows, Web Workers (${first('workers').workers ?? '?'})${sizeNote}`, unit: 's', value: wrk.value, n: wrk.n, samples: wrk.samples,
    target: { text: '< 15 s', op: '<=', value: 15, of: 'value' },
    notes: `${wrk.notes ?? `median of ${wrk.n} runs (${wrk.range} s), ${wrk.rate?.toLocaleString('en-US')} rows/s`}; headless Chromium ${version}, navigator.hardwareConcurrency ${first('workers').hardwareConcurrency ?? '?'}, digest ${first('workers').digestBackend ?? '?'}; Blob fetched first (not timed)`,
  });
  if (wrk.rate !== undefined) {
    figure({
      id: 'verify.browser.workers.rate', title: `Browser: rows/s with Web Workers (${ROWS.toLocaleString('en-US')} rows) vs main thread only (${inlineRows} rows)`, value: wrk.rate, unit: 'rows/s',
      n: wrk.n, ...(inl.rate !== undefined ? { baseline: { title: `main thread only, ${inlineRows} rows`, value: inl.rate, unit: 'rows/s', samples: inl.samples } } : {}),
      notes: inl.rate !== undefined ? `main thread only: ${inl.value} s for ${inlineRows} rows` : inl.notes,
    });
  }
} finally {
  await browser.close();
  server.closeAllConnections();
  server.close();
}
