// Verifying a sample export in Node (SPEC §9), inline and on worker threads, against PapaParse's
// parse-only rate on the same file, and peak RSS at two sizes to show memory does not grow.
// Each run is its own child process (clean RSS); CPU time counts every thread of that process.
import { ROWS, SMALL_ROWS, child, ensureSample, figure, load, requireDist, round } from './_lib.mjs';

requireDist();
const big = ensureSample(ROWS);
const small = ensureSample(SMALL_ROWS);
const sizeNote = ROWS === 1_000_000 ? '' : ` (STELA_BENCH_ROWS=${ROWS}: not the 1,000,000 rows of the goal)`;
const label = (n) => `${n.toLocaleString('en-US')} rows`;
console.log(`  ${label(big.rows)}: ${(big.bytes / 2 ** 20).toFixed(0)} MiB, ${Math.round(big.bytes / big.rows)} bytes/row; load average ${load()}`);

// These machines are noisy (the same run varies by a third from one minute to the next), so the
// large file is verified REPEATS times in each mode, alternating, and the median run reported;
// peak RSS is the largest seen.
const REPEATS = Number(process.env.STELA_BENCH_VERIFY_REPEATS ?? 3);
const runs = {};
const papaRuns = [];
for (const [name, s, repeats] of [['big', big, REPEATS], ['small', small, 1]]) {
  // workers-here (the same workers with the calling thread reading) is the baseline of the
  // reading thread, on the large file only.
  const modes = name === 'big' ? ['inline', 'workers', 'workers-here'] : ['inline', 'workers'];
  const all = Object.fromEntries(modes.map((m) => [m, []]));
  for (let i = 0; i < repeats; i++) {
    for (const mode of modes) {
      const r = child('_verify-child.mjs', [s.file, s.keysFile, mode]);
      if (!r.ok) throw new Error(`the ${mode} verification of ${s.file} failed: ${r.code} ${r.message}`);
      all[mode].push({ ...r, load: load() });
      console.log(`  verify ${label(s.rows)} ${mode}: ${r.wallS.toFixed(1)} s wall, ${r.cpuS.toFixed(1)} CPU-s, ${r.maxRssMB.toFixed(0)} MB peak RSS, load ${load()}`);
    }
  }
  if (name === 'big') {
    // The baseline is measured the same number of times, in the same stretch of the run.
    for (let i = 0; i < repeats; i++) papaRuns.push(child('_papaparse-child.mjs', [s.file]));
  }
  for (const mode of modes) {
    const sorted = [...all[mode]].sort((a, b) => a.wallS - b.wallS);
    const mid = sorted[(sorted.length - 1) >> 1];
    runs[`${name}.${mode}`] = { ...mid, maxRssMB: Math.max(...all[mode].map((r) => r.maxRssMB)), all: all[mode] };
  }
}
for (const p of papaRuns) console.log(`  papaparse ${label(p.rows)}: ${p.wallS.toFixed(1)} s wall, ${p.cpuS.toFixed(1)} CPU-s`);
const papa = [...papaRuns].sort((a, b) => a.wallS - b.wallS)[(papaRuns.length - 1) >> 1];
const papaRate = { title: 'PapaParse parse-only, same file', value: round(papa.rows / papa.wallS), unit: 'rows/s' };
const papaCpuRate = { title: 'PapaParse parse-only, same file', value: round(papa.rows / papa.cpuS), unit: 'rows/CPU-s' };
figure({ id: 'papaparse.parse', title: `PapaParse 5 parse-only (baseline), ${label(papa.rows)}${sizeNote}`, value: papaRate.value, unit: 'rows/s', n: papaRuns.length, samples: papaRuns.map((p) => ({ wallS: p.wallS, cpuS: p.cpuS, rows: p.rows })), notes: `median of ${papaRuns.length}; streaming from disk, arrays (header: false), ${round(papa.rows / papa.cpuS).toLocaleString('en-US')} rows/CPU-s` });

const inl = runs['big.inline'];
const wrk = runs['big.workers'];
const common = (r) => ({ n: r.all.length, samples: r.all.map((x) => ({ wallS: x.wallS, cpuS: x.cpuS, rows: x.rows, bytes: x.bytes, maxRssMB: x.maxRssMB, loadAverage: x.load })) });
figure({
  id: 'verify.node.inline', title: `Verify ${label(inl.rows)} in Node, inline (one thread)${sizeNote}`, value: round(inl.rows / inl.wallS), unit: 'rows/s', ...common(inl),
  baseline: papaRate, notes: `median of ${inl.all.length} runs alternating with workers and PapaParse; ${round(inl.rows / inl.cpuS).toLocaleString('en-US')} rows/CPU-s (PapaParse: ${papaCpuRate.value.toLocaleString('en-US')}); ${round(inl.bytes / 2 ** 20 / inl.wallS)} MiB/s; digest ${inl.digestBackend}`,
});
figure({
  id: 'verify.node.workers', title: `Verify ${label(wrk.rows)} in Node, verifyFile({ workers }): a reading thread and ${wrk.workers} worker thread${wrk.workers === 1 ? "" : "s"}${sizeNote}`, value: round(wrk.rows / wrk.wallS), unit: 'rows/s', ...common(wrk),
  target: { text: '≥ 250,000 rows/s', op: '>=', value: 250_000, of: 'value' },
  notes: `median of ${wrk.all.length} runs; ${round(wrk.rows / wrk.cpuS).toLocaleString('en-US')} rows/CPU-s (all threads); ${round(wrk.rows / wrk.wallS / (inl.rows / inl.wallS), 2)}× the inline wall rate in the same run`,
});
// What a second thread adds on this machine: the verifier's row work (verifyRowBatch on real
// sample batches) on one thread, then on two at once with nothing passed between them. It
// estimates what the worker runner can reach over inline; the host's speed drifts between runs
// (and file reads run on libuv's threads in both modes), so a workers run can land either side.
const ceiling = child('_ceiling-child.mjs', [big.file, '2']);
const ceilingRatio = ceiling.twoThreads / ceiling.oneThread;
figure({
  id: 'verify.node.two-thread-ceiling', title: 'Row verification on two threads at once vs one thread (what a second core adds here)', value: round(ceiling.twoThreads), unit: 'rows/s', n: ceiling.two.length,
  baseline: { title: 'one thread, same batches', value: round(ceiling.oneThread), unit: 'rows/s', n: ceiling.one.length },
  samples: ceiling.one.map((one, i) => ({ oneThread: round(one), twoThreads: round(ceiling.two[i]) })),
  notes: `verifyRowBatch on ${ceiling.batches} batches of 256 KiB (${ceiling.rowsPerPass.toLocaleString('en-US')} rows) in memory, 2 s per phase, median of ${ceiling.one.length} alternations; nothing crosses threads while timed. The workers figure above reached ${round(wrk.rows / wrk.wallS / (inl.rows / inl.wallS), 2)}× inline; at this ratio, ≥ 250,000 rows/s with two threads would need ${round(250_000 / ceilingRatio).toLocaleString('en-US')} rows/s on one`,
});
const best = wrk.rows / wrk.wallS >= inl.rows / inl.wallS ? wrk : inl;
figure({
  id: 'verify.node.vs-papaparse', title: `Verify (best of inline/workers: ${best === wrk ? 'workers' : 'inline'}) vs PapaParse parse-only, same file`, value: round(best.rows / best.wallS), unit: 'rows/s', n: 1,
  baseline: papaRate, target: { text: '≥ 0.5× PapaParse', op: '>=', value: 0.5, of: 'ratio' },
  notes: `per CPU-s: ${round((best.rows / best.cpuS) / papaCpuRate.value, 2)}× PapaParse's rows/CPU-s`,
});
for (const mode of ['inline', 'workers']) {
  const s = runs[`small.${mode}`];
  const b = runs[`big.${mode}`];
  figure({
    id: `verify.node.${mode}.rss`, title: `Peak RSS verifying ${label(b.rows)}, ${mode}`, value: round(b.maxRssMB, 1), unit: 'MB', n: 1,
    baseline: { title: `peak RSS at ${label(s.rows)}`, value: round(s.maxRssMB, 1), unit: 'MB' },
    target: { text: '< 150 MB', op: '<=', value: 150, of: 'value' },
    notes: `process.resourceUsage().maxRSS at exit of a child process that only verifies; the ratio to ${label(s.rows)} shows whether memory grows with rows`,
  });
}

// The reading thread against the calling thread doing the same job (a runner passed in, the
// structure before the reading thread): same workers, same read and batch sizes.
const here = runs['big.workers-here'];
figure({
  id: 'verify.node.workers.reading-thread', title: `Verify ${label(wrk.rows)}, workers: on a reading thread of its own vs on the calling thread`, value: round(wrk.rows / wrk.wallS), unit: 'rows/s', n: wrk.all.length,
  baseline: { title: 'the calling thread reading and verifying, same workers', value: round(here.rows / here.wallS), unit: 'rows/s', n: here.all.length },
  samples: here.all.map((x, i) => ({ callingThread: { wallS: x.wallS, maxRssMB: x.maxRssMB }, readingThread: { wallS: wrk.all[i].wallS, maxRssMB: wrk.all[i].maxRssMB } })),
  notes: `medians of ${wrk.all.length} alternating runs; peak RSS ${round(wrk.maxRssMB, 1)} MB on the reading thread against ${round(here.maxRssMB, 1)} MB on the calling thread (largest of the runs); the reading thread has a 6 MB young generation, a main thread up to 16 MB semi-spaces`,
});
