// The SHA-256 backends `#digest` chooses between (issue item 10): node:crypto's one-shot hash() in
// Node (dist/digest-node.js), and elsewhere the generated WebAssembly module (dist/digest.js) with
// @noble/hashes (dist/digest-noble.js) where WebAssembly is refused; on 300-byte records (a
// typical entry) and 65-byte RFC 6962 node inputs, each against noble. Interleaved timed rounds;
// the median round is reported. (V8 in Node stands in for V8 in Chromium here; bench/browser.mjs
// measures the verifier in Chromium itself.)
import { join } from 'node:path';
import { cpuSeconds, dist, figure, median, round } from './_lib.mjs';

const node = await import(join(dist, 'digest-node.js'));
const wasm = await import(join(dist, 'digest.js'));
const noble = await import(join(dist, 'digest-noble.js'));
if (node.digestBackend !== 'node:crypto' || wasm.digestBackend !== 'wasm' || noble.digestBackend !== 'noble') throw new Error('unexpected digest backends');

function rate(fn, inputs, ms = 400) {
  // Calls per CPU-second over about `ms` of CPU time.
  let calls = 0;
  const c0 = cpuSeconds();
  let c = c0;
  while ((c = cpuSeconds()) - c0 < ms / 1000) {
    for (let i = 0; i < inputs.length; i++) fn(inputs[i]);
    calls += inputs.length;
  }
  return calls / (c - c0);
}

const ROUNDS = 5;
for (const size of [300, 65]) {
  const inputs = Array.from({ length: 256 }, (_, k) => Uint8Array.from({ length: size }, (_, i) => (i * 31 + k * 7) & 0xff));
  for (const m of [node, wasm, noble]) rate(m.sha256, inputs, 100);
  const runs = { node: [], wasm: [], noble: [] };
  for (let r = 0; r < ROUNDS; r++) {
    runs.node.push(rate(node.sha256, inputs));
    runs.wasm.push(rate(wasm.sha256, inputs));
    runs.noble.push(rate(noble.sha256, inputs));
  }
  const nobleFig = { title: `@noble/hashes sha256, ${size} B`, value: round(median(runs.noble)), unit: 'ops/CPU-s', samples: runs.noble.map((x) => round(x)) };
  figure({
    id: `digest.${size}`,
    title: `SHA-256 of ${size}-byte inputs, node:crypto one-shot hash()`,
    value: round(median(runs.node)),
    unit: 'ops/CPU-s',
    n: ROUNDS,
    samples: runs.node.map((x) => round(x)),
    baseline: nobleFig,
    ...(size === 300 ? { target: { text: '> 1× noble (why Node uses node:crypto)', op: '>=', value: 1, of: 'ratio' }, notes: 'the issue quotes 620–760k/s for node:crypto and 180–260k/s for @noble/hashes on this machine kind; all through the shipped #digest modules' } : {}),
  });
  figure({
    id: `digest.wasm.${size}`,
    title: `SHA-256 of ${size}-byte inputs, generated WebAssembly (the browser #digest)`,
    value: round(median(runs.wasm)),
    unit: 'ops/CPU-s',
    n: ROUNDS,
    samples: runs.wasm.map((x) => round(x)),
    baseline: nobleFig,
    ...(size === 300 ? { target: { text: '> 1× noble (why browsers use WebAssembly)', op: '>=', value: 1, of: 'ratio' }, notes: 'V8 in Node, where noble does relatively better than in Chromium: the browser verifier figures (bench/browser.mjs) are what decided the backend' } : {}),
  });
}
