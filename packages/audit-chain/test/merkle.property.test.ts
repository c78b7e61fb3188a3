// Property tests for src/merkle.ts: proofs from every kind of source agree and verify, and any
// single-byte change to a proof breaks verification. Bounded (n <= 200, fixed run counts) so the
// file runs in a few seconds; fast-check prints the seed of any failure for replay.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  arrayHashSource,
  compactRangeFromLeaves,
  consistencyProof,
  inclusionProof,
  leafHash,
  merkleRoot,
  streamingHashSource,
  verifyConsistency,
  verifyInclusion,
  type SubtreeHashSource,
} from '../src/merkle.js';

const MAX_LEAVES = 200;
const RUNS = 500;

/** Leaf hashes derived from a seed, so a failing case replays from fast-check's seed alone. */
function leavesFor(seed: number, n: number): Uint8Array[] {
  return Array.from({ length: n }, (_, i) => leafHash(Uint8Array.of(seed & 0xff, (seed >>> 8) & 0xff, seed >>> 16, i & 0xff, i >>> 8)));
}

/** A storage-like source: leaves below the pruned size are gone, so touching them fails loudly. */
function sources(leaves: readonly Uint8Array[], prunedSize: number): SubtreeHashSource[] {
  const stream = (gone: number) =>
    async function* (start: number, end: number): AsyncIterable<Uint8Array> {
      if (start < gone) throw new Error(`leaf ${start} is pruned (pruned size ${gone})`);
      if (end > leaves.length) throw new Error(`leaf ${end - 1} does not exist`);
      for (let i = start; i < end; i++) yield leaves[i]!;
    };
  return [
    arrayHashSource(leaves),
    streamingHashSource({ leaves: stream(0) }),
    streamingHashSource({ leaves: stream(prunedSize), pruned: compactRangeFromLeaves(leaves.slice(0, prunedSize)) }),
  ];
}

function flipByte(proof: readonly Uint8Array[], pick: number, at: number, mask: number): Uint8Array[] {
  const target = pick % proof.length;
  return proof.map((node, i) => {
    if (i !== target) return node;
    const out = node.slice();
    out[at % 32] = out[at % 32]! ^ mask;
    return out;
  });
}

const flipArb = fc.record({ pick: fc.nat(), at: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) });

// n leaves, an older size m <= n, and a pruned size p <= m.
const consistencyCase = fc
  .integer({ min: 1, max: MAX_LEAVES })
  .chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n })))
  .chain(([n, m]) => fc.record({ n: fc.constant(n), m: fc.constant(m), p: fc.integer({ min: 0, max: m }), seed: fc.nat(), flip: flipArb }));

// n leaves, an index < n, and a pruned size p <= index.
const inclusionCase = fc
  .integer({ min: 1, max: MAX_LEAVES })
  .chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n - 1 })))
  .chain(([n, index]) =>
    fc.record({ n: fc.constant(n), index: fc.constant(index), p: fc.integer({ min: 0, max: index }), seed: fc.nat(), flip: flipArb }),
  );

describe('merkle properties', () => {
  it('consistency proofs agree across array, streaming and pruned sources, verify, and break under any byte flip', async () => {
    await fc.assert(
      fc.asyncProperty(consistencyCase, async ({ n, m, p, seed, flip }) => {
        const leaves = leavesFor(seed, n);
        const proofs = await Promise.all(sources(leaves, p).map((s) => consistencyProof(m, n, s)));
        expect(proofs[1]).toEqual(proofs[0]);
        expect(proofs[2]).toEqual(proofs[0]);
        const proof = proofs[0]!;
        const firstRoot = merkleRoot(leaves.slice(0, m));
        const secondRoot = merkleRoot(leaves);
        expect(verifyConsistency(m, n, firstRoot, secondRoot, proof)).toBe(true);
        if (proof.length > 0) {
          expect(verifyConsistency(m, n, firstRoot, secondRoot, flipByte(proof, flip.pick, flip.at, flip.mask))).toBe(false);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('inclusion proofs agree across array, streaming and pruned sources, verify, and break under any byte flip', async () => {
    await fc.assert(
      fc.asyncProperty(inclusionCase, async ({ n, index, p, seed, flip }) => {
        const leaves = leavesFor(seed, n);
        const proofs = await Promise.all(sources(leaves, p).map((s) => inclusionProof(index, n, s)));
        expect(proofs[1]).toEqual(proofs[0]);
        expect(proofs[2]).toEqual(proofs[0]);
        const proof = proofs[0]!;
        const root = merkleRoot(leaves);
        expect(verifyInclusion(index, n, leaves[index]!, proof, root)).toBe(true);
        if (proof.length > 0) {
          expect(verifyInclusion(index, n, leaves[index]!, flipByte(proof, flip.pick, flip.at, flip.mask), root)).toBe(false);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
