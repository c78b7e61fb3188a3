// The two SHA-256 backends `#digest` chooses between (issue item 10): node:crypto's one-shot
// hash() in Node (dist/digest-node.js) and @noble/hashes everywhere else (dist/digest.js), on
// 300-byte records (a typical entry) and 65-byte RFC 6962 node inputs. Interleaved timed rounds;
// the median round is reported.
import { join } from 'node:path';
import { cpuSeconds, dist, figure, median, round } from './_lib.mjs';

const node = await import(join(dist, 'digest-node.js'));
const noble = await import(join(dist, 'digest.js'));
if (node.digestBackend !== 'node:crypto' || noble.digestBackend !== 'noble') throw new Error('unexpected digest backends');

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
  rate(node.sha256, inputs, 100);
  rate(noble.sha256, inputs, 100);
  const n = [];
  const b = [];
  for (let r = 0; r < ROUNDS; r++) {
    n.push(rate(node.sha256, inputs));
    b.push(rate(noble.sha256, inputs));
  }
  const nobleFig = { title: `@noble/hashes sha256, ${size} B`, value: round(median(b)), unit: 'ops/CPU-s' };
  figure({
    id: `digest.${size}`,
    title: `SHA-256 of ${size}-byte inputs, node:crypto one-shot hash()`,
    value: round(median(n)),
    unit: 'ops/CPU-s',
    n: ROUNDS,
    samples: n.map((x) => round(x)),
    baseline: { ...nobleFig, samples: b.map((x) => round(x)) },
    ...(size === 300 ? { target: { text: '> 1× noble (why Node uses node:crypto)', op: '>=', value: 1, of: 'ratio' }, notes: 'the issue quotes 620–760k/s for node:crypto and 180–260k/s for @noble/hashes on this machine kind; both through the shipped #digest modules' } : {}),
  });
}
