// How much two threads can do on this machine, for the verifier's own row work: the same 256 KiB
// batches of real sample rows (entry rows only) verified with verifyRowBatch by one thread, then
// by two threads at once (each verifying every batch), alternating. Nothing is shared or passed
// between the threads while the clock runs, so the ratio is the machine's ceiling for spreading
// this work over two cores (shared caches, memory bandwidth, neighbours on the host), not the
// runner's. Prints one JSON line. Usage: _ceiling-child.mjs <sample.csv> [seconds]
import { openSync, readSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { dist } from './_lib.mjs';

const { verifyRowBatch } = await import(join(dist, 'index.js'));

/** Verifies the batches over and over for `ms` milliseconds; returns rows verified and wall time. */
function spin(batches, context, ms) {
  let rows = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    for (const b of batches) {
      const r = verifyRowBatch({ bytes: b.bytes, firstRow: b.firstRow, context });
      if (r.failure || r.rows !== b.rows) throw new Error(`batch at row ${b.firstRow} did not verify: ${r.failure?.code}`);
      rows += r.rows;
    }
  }
  return { rows, wallS: (performance.now() - t0) / 1000 };
}

if (!isMainThread) {
  const { batches, context, ms } = workerData;
  parentPort.once('message', () => parentPort.postMessage(spin(batches, context, ms)));
} else {
  const [file, seconds = '2'] = process.argv.slice(2);
  const ms = Number(seconds) * 1000;
  // About 8 MiB of entry rows from the start of the file, cut into whole-line batches.
  const fd = openSync(file, 'r');
  const head = Buffer.alloc(8 * 2 ** 20 + 256 * 1024);
  const got = readSync(fd, head, 0, head.length, 0);
  closeSync(fd);
  const text = head.subarray(0, got);
  let p = text.indexOf(10) + 1; // header
  const exportLine = text.subarray(p, text.indexOf(10, p)).toString('utf8').replace(/\r$/, '');
  p = text.indexOf(10, p) + 1;
  // The export record's last cell is its quoted JSON data.
  const data = JSON.parse(exportLine.slice(exportLine.indexOf('"{') + 1, -1).replace(/""/g, '"'));
  const context = { tenant: data.tenant, lastSeq: data.last_seq };
  const batches = [];
  let row = 3;
  while (batches.length < 32) {
    let cut = text.lastIndexOf(10, p + 256 * 1024 - 1);
    if (cut < p) break;
    const bytes = new Uint8Array(text.subarray(p, cut + 1));
    let rows = 0;
    for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) rows++;
    batches.push({ bytes, firstRow: row, rows });
    row += rows;
    p = cut + 1;
  }
  // Warm up this thread's JIT on the work first.
  spin(batches, context, 500);
  const pair = () =>
    Promise.all(
      [0, 1].map(
        () =>
          new Promise((resolve, reject) => {
            const w = new Worker(new URL(import.meta.url), { workerData: { batches, context, ms } });
            w.once('online', () => setTimeout(() => w.postMessage('go'), 300));
            w.once('message', (r) => (w.terminate(), resolve(r)));
            w.once('error', reject);
          }),
      ),
    );
  const one = [];
  const two = [];
  for (let i = 0; i < 3; i++) {
    const s = spin(batches, context, ms);
    one.push(s.rows / s.wallS);
    const rs = await pair();
    two.push(rs.reduce((a, r) => a + r.rows / r.wallS, 0));
  }
  const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  console.log(JSON.stringify({ oneThread: med(one), twoThreads: med(two), one, two, batches: batches.length, rowsPerPass: batches.reduce((a, b) => a + b.rows, 0) }));
}
