// One verification in a fresh process, so its peak RSS (process.resourceUsage().maxRSS at exit)
// belongs to this run alone. Prints one JSON line.
// Usage: _verify-child.mjs <file> <keys> <inline|workers|workers-here>
//   inline        everything on this thread
//   workers       verifyFile({ workers: true }), as stela-audit verify does: a reading thread of
//                 its own that verifies too, and one worker per core besides it
//   workers-here  the same workers, with this thread reading and verifying (a runner passed in)
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { dist } from './_lib.mjs';

const [file, keysFile, mode] = process.argv.slice(2);
const { verifyFile } = await import(join(dist, 'verify-node.js'));
const { createWorkerRunner } = await import(join(dist, 'verify-runner-node.js'));
const { inlineRunner } = await import(join(dist, 'index.js'));
const keys = JSON.parse(readFileSync(keysFile, 'utf8'));
if (!['inline', 'workers', 'workers-here'].includes(mode)) throw new Error(`unknown mode ${mode}`);
const runner = mode === 'workers-here' ? createWorkerRunner() : mode === 'inline' ? inlineRunner : undefined;
const c0 = process.cpuUsage();
const t0 = performance.now();
const report = await verifyFile(file, runner ? { keys, runner, ...(mode === 'workers-here' ? { chunkSize: 256 * 1024 } : {}) } : { keys, workers: true });
const wallS = (performance.now() - t0) / 1000;
const cu = process.cpuUsage(c0);
await runner?.close?.();
console.log(JSON.stringify({
  ok: report.ok,
  code: report.code,
  message: report.message,
  rows: report.rows,
  bytes: report.bytes,
  digestBackend: report.digestBackend,
  workers: runner ? (runner.workers ?? 0) : availableParallelism() - 1,
  wallS,
  cpuS: (cu.user + cu.system) / 1e6,
  maxRssMB: process.resourceUsage().maxRSS / 1024,
}));
