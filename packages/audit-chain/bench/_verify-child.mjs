// One verification in a fresh process, so its peak RSS (process.resourceUsage().maxRSS at exit)
// belongs to this run alone. Prints one JSON line. Usage: _verify-child.mjs <file> <keys> <inline|workers>
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dist } from './_lib.mjs';

const [file, keysFile, mode] = process.argv.slice(2);
const { verifyFile } = await import(join(dist, 'verify-node.js'));
const { createWorkerRunner } = await import(join(dist, 'verify-runner-node.js'));
const { inlineRunner } = await import(join(dist, 'index.js'));
const keys = JSON.parse(readFileSync(keysFile, 'utf8'));
// Pin the runner both ways: verifyFile picks worker threads by itself for large files.
const runner = mode === 'workers' ? createWorkerRunner() : inlineRunner;
const c0 = process.cpuUsage();
const t0 = performance.now();
const report = await verifyFile(file, { keys, runner });
const wallS = (performance.now() - t0) / 1000;
const cu = process.cpuUsage(c0);
await runner.close?.();
console.log(JSON.stringify({
  ok: report.ok,
  code: report.code,
  message: report.message,
  rows: report.rows,
  bytes: report.bytes,
  digestBackend: report.digestBackend,
  workers: runner.workers ?? 0,
  wallS,
  cpuS: (cu.user + cu.system) / 1e6,
  maxRssMB: process.resourceUsage().maxRSS / 1024,
}));
