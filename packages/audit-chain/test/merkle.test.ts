// Known-answer and contract tests for src/merkle.ts. The module is imported through the package's
// own `#digest` resolution, so a second vitest project that aliases `#digest` re-runs this file on
// the other SHA-256 backend. The vector file is checked against an independent recursive
// reference below and the implementation is checked against the file; nothing here regenerates it.
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { digestBackend } from '#digest';
import { fromHex, toHex } from '../src/bytes.js';
import { isAuditChainError } from '../src/errors.js';
import * as merkleModule from '../src/merkle.js';
import vectors from './vectors/merkle.json' with { type: 'json' };

type Merkle = typeof merkleModule;

// ---------------------------------------------------------------------------------------------
// Reference: a literal transcription of RFC 9162 §2.1.1, §2.1.3.1 and §2.1.4.1 over leaf hashes,
// hashed with @noble/hashes directly so it shares no code with the module under test.

const refHash = (...parts: Uint8Array[]): Uint8Array => {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (all.set(p, at), at + p.length), 0);
  return nobleSha256(all);
};
const refLeaf = (d: Uint8Array) => refHash(Uint8Array.of(0), d);
const refNode = (l: Uint8Array, r: Uint8Array) => refHash(Uint8Array.of(1), l, r);
const refSplit = (n: number) => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};

function refMth(d: readonly Uint8Array[]): Uint8Array {
  if (d.length === 0) return refHash();
  if (d.length === 1) return d[0]!;
  const k = refSplit(d.length);
  return refNode(refMth(d.slice(0, k)), refMth(d.slice(k)));
}

function refPath(m: number, d: readonly Uint8Array[]): Uint8Array[] {
  if (d.length === 1) return [];
  const k = refSplit(d.length);
  return m < k
    ? [...refPath(m, d.slice(0, k)), refMth(d.slice(k))]
    : [...refPath(m - k, d.slice(k)), refMth(d.slice(0, k))];
}

function refSubproof(m: number, d: readonly Uint8Array[], b: boolean): Uint8Array[] {
  if (m === d.length) return b ? [] : [refMth(d)];
  const k = refSplit(d.length);
  return m <= k
    ? [...refSubproof(m, d.slice(0, k), b), refMth(d.slice(k))]
    : [...refSubproof(m - k, d.slice(k), false), refMth(d.slice(0, k))];
}

/** Which side each sibling of PATH(m, D[n]) sits on, leaf to root: the shape the verifier replays. */
function refPathShape(m: number, n: number): string {
  if (n === 1) return '';
  const k = refSplit(n);
  return m < k ? refPathShape(m, k) + 'R' : refPathShape(m - k, n - k) + 'L';
}

/** Memoised MTH(D[start:end]) so the builder can be compared with the reference at every size. */
function refRoots(leaves: readonly Uint8Array[]): (start: number, end: number) => Uint8Array {
  const memo = new Map<string, Uint8Array>();
  const mth = (start: number, end: number): Uint8Array => {
    const key = `${start}:${end}`;
    let h = memo.get(key);
    if (h === undefined) {
      const n = end - start;
      const k = refSplit(n);
      h = n === 0 ? refHash() : n === 1 ? leaves[start]! : refNode(mth(start, start + k), mth(start + k, end));
      memo.set(key, h);
    }
    return h;
  };
  return mth;
}

// ---------------------------------------------------------------------------------------------

const hex = (h: string): Uint8Array => {
  const bytes = fromHex(h);
  if (bytes === undefined) throw new Error(`bad hex in vectors: ${h}`);
  return bytes;
};
const hexes = (hs: readonly string[]) => hs.map(hex);
const flip = (h: Uint8Array, at = 0, mask = 0x01) => {
  const out = h.slice();
  out[at] = out[at]! ^ mask;
  return out;
};
/** Deterministic distinct leaf hashes, no randomness. */
const makeLeaves = (n: number) => Array.from({ length: n }, (_, i) => refLeaf(Uint8Array.of(i & 0xff, i >> 8, 0x5a)));

async function expectCode(p: Promise<unknown> | (() => unknown), code: string): Promise<void> {
  let error: unknown;
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    error = e;
  }
  expect(isAuditChainError(error), `expected an AuditChainError ${code}, got ${String(error)}`).toBe(true);
  expect((error as { code: string }).code).toBe(code);
}

const D = hexes(vectors.leaves);
const ROOTS = vectors.roots.map((r) => hex(r.root));

describe('test/vectors/merkle.json against the recursive reference', () => {
  it('has the documented shape and the published CT roots', () => {
    expect(Object.keys(vectors).sort()).toEqual(
      ['consistencyProofs', 'description', 'fields', 'inclusionProofs', 'leafHashes', 'leaves', 'roots', 'version'].sort(),
    );
    expect(Object.keys(vectors.fields).sort()).toEqual(
      ['consistencyProofs', 'inclusionProofs', 'leafHashes', 'leaves', 'roots'].sort(),
    );
    expect(vectors.leaves).toEqual(['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f']);
    // RFC 6962 / CT reference roots for sizes 0..8, as published (prefixes except empty and 8).
    const published = ['e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', '6e340b9c', 'fac54203',
      'aeb6bcfe', 'd37ee418', '4e3bbb1f', '76e67dad', 'ddb89be4', '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328'];
    expect(vectors.roots.map((r) => r.size)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    vectors.roots.forEach((r, n) => expect(r.root.startsWith(published[n]!), `size ${n}`).toBe(true));
  });

  it('leaf hashes and roots match the reference', () => {
    const leafHashes = D.map(refLeaf);
    expect(vectors.leafHashes).toEqual(leafHashes.map(toHex));
    for (const { size, root } of vectors.roots) expect(root, `size ${size}`).toBe(toHex(refMth(leafHashes.slice(0, size))));
  });

  it('has every inclusion proof for size <= 8, matching the reference', () => {
    const leafHashes = D.map(refLeaf);
    const want: string[] = [];
    for (let n = 1; n <= 8; n++) for (let m = 0; m < n; m++) want.push(`${m}/${n}`);
    expect(vectors.inclusionProofs.map((v) => `${v.index}/${v.size}`)).toEqual(want);
    for (const v of vectors.inclusionProofs) {
      expect(v.leafHash).toBe(vectors.leafHashes[v.index]);
      expect(v.root).toBe(vectors.roots[v.size]!.root);
      expect(v.path).toEqual(refPath(v.index, leafHashes.slice(0, v.size)).map(toHex));
    }
  });

  it('has every consistency proof for 1 <= first <= second <= 8, matching the reference', () => {
    const leafHashes = D.map(refLeaf);
    const want: string[] = [];
    for (let m = 1; m <= 8; m++) for (let n = m; n <= 8; n++) want.push(`${m}/${n}`);
    expect(vectors.consistencyProofs.map((v) => `${v.first}/${v.second}`)).toEqual(want);
    for (const v of vectors.consistencyProofs) {
      expect(v.firstRoot).toBe(vectors.roots[v.first]!.root);
      expect(v.secondRoot).toBe(vectors.roots[v.second]!.root);
      expect(v.path).toEqual(refSubproof(v.first, leafHashes.slice(0, v.second), true).map(toHex));
    }
  });
});

/** The implementation-facing suite, written against the module so it runs on either backend. */
function merkleSuite(backend: string, m: Merkle): void {
  const leafHashes = hexes(vectors.leafHashes);

  describe(`merkle vectors (${backend})`, () => {
    it('leafHash, EMPTY_ROOT and merkleRoot give the known answers', () => {
      expect(D.map(m.leafHash).map(toHex)).toEqual(vectors.leafHashes);
      expect(toHex(m.EMPTY_ROOT)).toBe(vectors.roots[0]!.root);
      for (const { size, root } of vectors.roots) expect(toHex(m.merkleRoot(leafHashes.slice(0, size))), `size ${size}`).toBe(root);
    });

    it('nodeHash is SHA-256(0x01 ‖ L ‖ R)', () => {
      expect(toHex(m.nodeHash(leafHashes[0]!, leafHashes[1]!))).toBe(vectors.roots[2]!.root);
      expect(() => m.nodeHash(new Uint8Array(31), leafHashes[0]!)).toThrow();
    });

    it('generates and verifies every inclusion proof in the file', async () => {
      const source = m.arrayHashSource(leafHashes);
      for (const v of vectors.inclusionProofs) {
        const path = await m.inclusionProof(v.index, v.size, source);
        expect(path.map(toHex), `${v.index}/${v.size}`).toEqual(v.path);
        expect(m.verifyInclusion(v.index, v.size, hex(v.leafHash), hexes(v.path), hex(v.root))).toBe(true);
      }
    });

    it('generates and verifies every consistency proof in the file', async () => {
      const source = m.arrayHashSource(leafHashes);
      for (const v of vectors.consistencyProofs) {
        const proof = await m.consistencyProof(v.first, v.second, source);
        expect(proof.map(toHex), `${v.first}/${v.second}`).toEqual(v.path);
        expect(m.verifyConsistency(v.first, v.second, hex(v.firstRoot), hex(v.secondRoot), hexes(v.path))).toBe(true);
      }
    });
  });

  describe(`verifyInclusion rejects (${backend})`, () => {
    const cases = vectors.inclusionProofs.map((v) => ({
      ...v,
      leaf: hex(v.leafHash),
      proof: hexes(v.path),
      rootBytes: hex(v.root),
    }));

    it('a wrong root', () => {
      for (const v of cases) {
        expect(m.verifyInclusion(v.index, v.size, v.leaf, v.proof, flip(v.rootBytes, 31))).toBe(false);
        for (let n = 0; n <= 8; n++) {
          if (n !== v.size) expect(m.verifyInclusion(v.index, v.size, v.leaf, v.proof, ROOTS[n]!)).toBe(false);
        }
      }
    });

    it('a wrong index', () => {
      for (const v of cases) {
        for (let i = 0; i < 10; i++) {
          if (i !== v.index) expect(m.verifyInclusion(i, v.size, v.leaf, v.proof, v.rootBytes), `${i}/${v.size}`).toBe(false);
        }
      }
    });

    it('a wrong size, unless that size replays the exact same hash sequence', () => {
      // The tree size is bound only through the root: RFC 9162 §2.1.3.2 accepts (index, size')
      // whenever PATH(index, D[size']) has the same left/right shape, e.g. index 0 of size 3 and
      // of size 4. Checkpoints pair a root with its size, so this is inherent and harmless.
      let accepted = 0;
      for (const v of cases) {
        for (let n = v.index + 1; n <= 16; n++) {
          if (n === v.size) continue;
          const same = refPathShape(v.index, n) === refPathShape(v.index, v.size);
          accepted += same ? 1 : 0;
          expect(m.verifyInclusion(v.index, n, v.leaf, v.proof, v.rootBytes), `${v.index}/${v.size} as size ${n}`).toBe(same);
        }
        expect(m.verifyInclusion(v.index, v.index, v.leaf, v.proof, v.rootBytes)).toBe(false);
      }
      expect(accepted).toBeGreaterThan(0);
    });

    it('a tampered proof node or leaf', () => {
      for (const v of cases) {
        expect(m.verifyInclusion(v.index, v.size, flip(v.leaf), v.proof, v.rootBytes)).toBe(false);
        v.proof.forEach((_, i) => {
          for (const at of [0, 17, 31]) {
            const bad = v.proof.map((p, j) => (j === i ? flip(p, at, 0x80) : p));
            expect(m.verifyInclusion(v.index, v.size, v.leaf, bad, v.rootBytes)).toBe(false);
          }
        });
      }
    });

    it('a truncated, extended or reordered proof', () => {
      for (const v of cases) {
        if (v.proof.length > 0) {
          expect(m.verifyInclusion(v.index, v.size, v.leaf, v.proof.slice(0, -1), v.rootBytes)).toBe(false);
          expect(m.verifyInclusion(v.index, v.size, v.leaf, v.proof.slice(1), v.rootBytes)).toBe(false);
        }
        expect(m.verifyInclusion(v.index, v.size, v.leaf, [...v.proof, v.rootBytes], v.rootBytes)).toBe(false);
        expect(m.verifyInclusion(v.index, v.size, v.leaf, [...v.proof, leafHashes[0]!], v.rootBytes)).toBe(false);
        if (v.proof.length > 1) {
          expect(m.verifyInclusion(v.index, v.size, v.leaf, [...v.proof].reverse(), v.rootBytes)).toBe(false);
        }
      }
    });

    it('malformed input, without throwing', () => {
      const v = cases.find((c) => c.index === 5 && c.size === 8)!;
      const ok = (index: unknown, size: unknown, leaf: unknown, proof: unknown, root: unknown) =>
        m.verifyInclusion(index as number, size as number, leaf as Uint8Array, proof as Uint8Array[], root as Uint8Array);
      expect(ok(5, 8, v.leaf, v.proof, v.rootBytes)).toBe(true);
      for (const [index, size] of [[-1, 8], [5.5, 8], [5, 8.5], [NaN, 8], [5, Infinity], [8, 8], [5, 2 ** 53], ['5', 8]]) {
        expect(ok(index, size, v.leaf, v.proof, v.rootBytes)).toBe(false);
      }
      expect(ok(5, 8, v.leaf.subarray(1), v.proof, v.rootBytes)).toBe(false);
      expect(ok(5, 8, v.leaf, v.proof, new Uint8Array(33))).toBe(false);
      expect(ok(5, 8, v.leaf, [v.proof[0]!.subarray(0, 31), ...v.proof.slice(1)], v.rootBytes)).toBe(false);
      expect(ok(5, 8, v.leaf, [...v.proof.slice(0, 2), 'nope'], v.rootBytes)).toBe(false);
      expect(ok(5, 8, v.leaf, null, v.rootBytes)).toBe(false);
      expect(ok(5, 8, null, v.proof, v.rootBytes)).toBe(false);
      expect(ok(5, 8, v.leaf, Array.from({ length: 10_000 }, () => v.proof[0]), v.rootBytes)).toBe(false);
    });
  });

  describe(`verifyConsistency rejects (${backend})`, () => {
    const cases = vectors.consistencyProofs.map((v) => ({
      ...v,
      a: hex(v.firstRoot),
      b: hex(v.secondRoot),
      proof: hexes(v.path),
    }));

    it('a wrong first or second root', () => {
      for (const v of cases) {
        expect(m.verifyConsistency(v.first, v.second, flip(v.a, 5), v.b, v.proof), `${v.first}/${v.second}`).toBe(false);
        expect(m.verifyConsistency(v.first, v.second, v.a, flip(v.b, 5), v.proof), `${v.first}/${v.second}`).toBe(false);
      }
    });

    it('an empty first tree whose root is not the empty root', () => {
      const empty = m.EMPTY_ROOT;
      expect(m.verifyConsistency(0, 8, empty, ROOTS[8]!, [])).toBe(true);
      expect(m.verifyConsistency(0, 0, empty, empty, [])).toBe(true);
      expect(m.verifyConsistency(0, 8, flip(empty, 5), ROOTS[8]!, [])).toBe(false);
      expect(m.verifyConsistency(0, 8, ROOTS[1]!, ROOTS[8]!, [])).toBe(false);
      expect(m.verifyConsistency(0, 0, empty, ROOTS[1]!, [])).toBe(false);
      expect(m.verifyConsistency(0, 8, empty, ROOTS[8]!, [empty])).toBe(false);
    });

    it('a wrong first or second size', () => {
      for (const v of cases) {
        if (v.first === v.second) continue;
        for (let n = 1; n <= 8; n++) {
          if (n !== v.first && n <= v.second) expect(m.verifyConsistency(n, v.second, ROOTS[n]!, v.b, v.proof)).toBe(false);
          if (n !== v.second && n >= v.first) expect(m.verifyConsistency(v.first, n, v.a, ROOTS[n]!, v.proof)).toBe(false);
        }
      }
    });

    it('a tampered proof node', () => {
      for (const v of cases) {
        v.proof.forEach((_, i) => {
          for (const at of [0, 31]) {
            const bad = v.proof.map((p, j) => (j === i ? flip(p, at, 0x40) : p));
            expect(m.verifyConsistency(v.first, v.second, v.a, v.b, bad), `${v.first}/${v.second} node ${i}`).toBe(false);
          }
        });
      }
    });

    it('a truncated or extended proof, including non-empty proofs for equal sizes', () => {
      for (const v of cases) {
        if (v.proof.length > 0) {
          expect(m.verifyConsistency(v.first, v.second, v.a, v.b, v.proof.slice(0, -1))).toBe(false);
          expect(m.verifyConsistency(v.first, v.second, v.a, v.b, v.proof.slice(1))).toBe(false);
        }
        expect(m.verifyConsistency(v.first, v.second, v.a, v.b, [...v.proof, v.b])).toBe(false);
        expect(m.verifyConsistency(v.first, v.second, v.a, v.b, [...v.proof, leafHashes[3]!])).toBe(false);
      }
    });

    it('first > second, even with the roots and proof of the reverse direction', () => {
      for (const v of cases) {
        if (v.first === v.second) continue;
        expect(m.verifyConsistency(v.second, v.first, v.b, v.a, v.proof)).toBe(false);
        expect(m.verifyConsistency(v.second, v.first, v.b, v.a, [])).toBe(false);
      }
    });

    it('handles the exact-power-of-two first size (1, 2, 4): RFC 9162 §2.1.4.2 step 2', () => {
      // A verifier that skips step 2 (prepending first_hash) rejects every one of these valid
      // proofs; one that prepends it for other sizes rejects the rest. Both directions are pinned.
      for (const v of cases.filter((c) => [1, 2, 4].includes(c.first) && c.first < c.second)) {
        const label = `${v.first}/${v.second}`;
        expect(m.verifyConsistency(v.first, v.second, v.a, v.b, v.proof), label).toBe(true);
        // The proof omits MTH(D[0:first]); supplying it explicitly is not the same proof.
        expect(m.verifyConsistency(v.first, v.second, v.a, v.b, [v.a, ...v.proof]), label).toBe(false);
        // first_hash is bound through the second root even though the path never carries it.
        for (let n = 0; n <= 8; n++) {
          if (n !== v.first) expect(m.verifyConsistency(v.first, v.second, ROOTS[n]!, v.b, v.proof), label).toBe(false);
        }
      }
      for (const v of cases.filter((c) => ![1, 2, 4, 8].includes(c.first) && c.first < c.second)) {
        expect(m.verifyConsistency(v.first, v.second, v.a, v.b, [v.a, ...v.proof])).toBe(false);
      }
      // Published CT vector: PROOF(4, D[8]) is the single node MTH(D[4:8]).
      const p48 = cases.find((c) => c.first === 4 && c.second === 8)!;
      expect(p48.proof.map(toHex)).toEqual([toHex(refMth(leafHashes.slice(4, 8)))]);
    });

    it('equal sizes need equal roots and an empty proof; the empty tree needs an empty proof', () => {
      for (let n = 1; n <= 8; n++) {
        expect(m.verifyConsistency(n, n, ROOTS[n]!, ROOTS[n]!, [])).toBe(true);
        expect(m.verifyConsistency(n, n, ROOTS[n]!, flip(ROOTS[n]!), [])).toBe(false);
        expect(m.verifyConsistency(n, n, ROOTS[n]!, ROOTS[n]!, [ROOTS[n]!])).toBe(false);
        expect(m.verifyConsistency(0, n, ROOTS[0]!, ROOTS[n]!, [])).toBe(true);
        expect(m.verifyConsistency(0, n, ROOTS[0]!, ROOTS[n]!, [ROOTS[n]!])).toBe(false);
      }
      expect(m.verifyConsistency(0, 0, ROOTS[0]!, ROOTS[0]!, [])).toBe(true);
      // Step 1: different sizes never verify without a proof.
      expect(m.verifyConsistency(3, 8, ROOTS[3]!, ROOTS[8]!, [])).toBe(false);
      // A one-node "proof" equal to both claimed roots satisfies fr and sr without hashing;
      // only the final sn == 0 check of step 7 rejects it.
      for (let first = 1; first < 8; first++) {
        for (let second = first + 1; second <= 8; second++) {
          for (const r of [ROOTS[first]!, ROOTS[second]!]) {
            expect(m.verifyConsistency(first, second, r, r, [r]), `${first}/${second}`).toBe(false);
          }
        }
      }
    });

    it('malformed input, without throwing', () => {
      const v = cases.find((c) => c.first === 3 && c.second === 7)!;
      const ok = (a: unknown, b: unknown, ra: unknown, rb: unknown, proof: unknown) =>
        m.verifyConsistency(a as number, b as number, ra as Uint8Array, rb as Uint8Array, proof as Uint8Array[]);
      expect(ok(3, 7, v.a, v.b, v.proof)).toBe(true);
      for (const [a, b] of [[-1, 7], [3.5, 7], [3, NaN], [3, 2 ** 53], [undefined, 7]]) expect(ok(a, b, v.a, v.b, v.proof)).toBe(false);
      expect(ok(3, 7, v.a.subarray(0, 16), v.b, v.proof)).toBe(false);
      expect(ok(3, 7, v.a, 'root', v.proof)).toBe(false);
      expect(ok(3, 7, v.a, v.b, [...v.proof.slice(0, -1), new Uint8Array(64)])).toBe(false);
      expect(ok(3, 7, v.a, v.b, { length: 3 })).toBe(false);
      expect(ok(3, 7, v.a, v.b, Array.from({ length: 10_000 }, () => v.proof[0]))).toBe(false);
    });
  });

  describe(`proof generation (${backend})`, () => {
    const leaves = makeLeaves(37);
    const source = m.arrayHashSource(leaves);

    it('rejects impossible requests with ERR_AUDIT_INVALID_PROOF_REQUEST', async () => {
      for (const [index, size] of [[5, 5], [6, 5], [-1, 5], [0, 0], [1.5, 5], [0, NaN]] as const) {
        await expectCode(m.inclusionProof(index, size, source), 'ERR_AUDIT_INVALID_PROOF_REQUEST');
      }
      for (const [first, second] of [[6, 5], [-1, 5], [1, 2.5]] as const) {
        await expectCode(m.consistencyProof(first, second, source), 'ERR_AUDIT_INVALID_PROOF_REQUEST');
      }
      // The source refuses a tree larger than the leaves it holds.
      await expectCode(m.inclusionProof(3, 38, source), 'ERR_AUDIT_INVALID_PROOF_REQUEST');
      await expectCode(source.subtreeHash(4, 3), 'ERR_AUDIT_INVALID_PROOF_REQUEST');
    });

    it('returns an empty consistency proof for first == 0 and first == second', async () => {
      expect(await m.consistencyProof(0, 37, source)).toEqual([]);
      expect(await m.consistencyProof(0, 0, source)).toEqual([]);
      expect(await m.consistencyProof(37, 37, source)).toEqual([]);
    });

    it('matches the reference for every pair up to 37 leaves', async () => {
      for (let n = 1; n <= 37; n++) {
        for (let i = 0; i < n; i++) {
          expect((await m.inclusionProof(i, n, source)).map(toHex)).toEqual(refPath(i, leaves.slice(0, n)).map(toHex));
        }
        for (let f = 1; f <= n; f++) {
          expect((await m.consistencyProof(f, n, source)).map(toHex)).toEqual(refSubproof(f, leaves.slice(0, n), true).map(toHex));
        }
      }
    });

    it('uses arithmetic, not 32-bit bit operations, for sizes beyond 2^32', async () => {
      // With every leaf equal, MTH(D[a:b]) depends only on b - a, so a 2^40-leaf tree is cheap.
      const leaf = leaves[0]!;
      const memo = new Map<number, Uint8Array>();
      const mthOfLength = (n: number): Uint8Array => {
        let h = memo.get(n);
        if (h === undefined) {
          const k = refSplit(n);
          h = n === 1 ? leaf : refNode(mthOfLength(k), mthOfLength(n - k));
          memo.set(n, h);
        }
        return h;
      };
      const uniform = { subtreeHash: async (a: number, b: number) => mthOfLength(b - a) };
      const size = 2 ** 40 + 2 ** 33 + 12_345;
      const first = 2 ** 36 + 3;
      for (const index of [0, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 7, 2 ** 40 + 5, size - 1]) {
        const path = await m.inclusionProof(index, size, uniform);
        expect(path).toHaveLength(refPathShape(index, size).length);
        expect(m.verifyInclusion(index, size, leaf, path, mthOfLength(size))).toBe(true);
      }
      for (const f of [first, 2 ** 32, 2 ** 40]) {
        const proof = await m.consistencyProof(f, size, uniform);
        expect(m.verifyConsistency(f, size, mthOfLength(f), mthOfLength(size), proof)).toBe(true);
        expect(m.verifyConsistency(f, size, mthOfLength(f + 1), mthOfLength(size), proof)).toBe(false);
      }
    });
  });

  describe(`streamingHashSource (${backend})`, () => {
    const leaves = makeLeaves(23);
    const stream = (from: readonly Uint8Array[], prunedSize = 0) =>
      async function* (start: number, end: number) {
        if (start < prunedSize) throw new Error(`leaf ${start} was pruned`);
        for (let i = start; i < end; i++) yield from[i]!;
      };

    it('agrees with arrayHashSource with and without a pruned prefix', async () => {
      const array = m.arrayHashSource(leaves);
      for (let p = 0; p <= 23; p++) {
        const source = m.streamingHashSource({ leaves: stream(leaves, p), pruned: m.compactRangeFromLeaves(leaves.slice(0, p)) });
        for (let i = p; i < 23; i++) expect(await m.inclusionProof(i, 23, source)).toEqual(await m.inclusionProof(i, 23, array));
        for (let f = p; f <= 23; f++) expect(await m.consistencyProof(f, 23, source)).toEqual(await m.consistencyProof(f, 23, array));
      }
    });

    it('refuses subtrees a pruned prefix cannot provide', async () => {
      // Pruned at 3: stored nodes are [0,2) and [2,3); leaf 1 and [1,4) are gone.
      const source = m.streamingHashSource({ leaves: stream(leaves, 3), pruned: m.compactRangeFromLeaves(leaves.slice(0, 3)) });
      expect(toHex(await source.subtreeHash(0, 2))).toBe(toHex(refMth(leaves.slice(0, 2))));
      expect(toHex(await source.subtreeHash(2, 8))).toBe(toHex(refMth(leaves.slice(2, 8))));
      await expectCode(source.subtreeHash(1, 2), 'ERR_AUDIT_INVALID_PROOF_REQUEST');
      await expectCode(source.subtreeHash(0, 3), 'ERR_AUDIT_INVALID_PROOF_REQUEST');
      await expectCode(source.subtreeHash(1, 4), 'ERR_AUDIT_INVALID_PROOF_REQUEST');
      await expectCode(m.inclusionProof(0, 4, source), 'ERR_AUDIT_INVALID_PROOF_REQUEST');
      expect(() => m.streamingHashSource({ leaves: stream(leaves), pruned: { size: 3, nodes: [leaves[0]!] } })).toThrow();
    });

    it('reports a store that yields the wrong number of leaves as ERR_AUDIT_STORE', async () => {
      const short = m.streamingHashSource({ leaves: async function* (a, b) { for (let i = a; i < b - 1; i++) yield leaves[i]!; } });
      await expectCode(short.subtreeHash(0, 4), 'ERR_AUDIT_STORE');
      const long = m.streamingHashSource({ leaves: async function* (a, b) { for (let i = a; i <= b; i++) yield leaves[i]!; } });
      await expectCode(long.subtreeHash(0, 4), 'ERR_AUDIT_STORE');
    });
  });

  describe(`TreeBuilder and compact ranges (${backend})`, () => {
    const leaves = makeLeaves(300);
    const mth = refRoots(leaves);

    it('equals merkleRoot and the reference for every size 0..300', () => {
      const builder = m.createTreeBuilder();
      for (let n = 0; n <= 300; n++) {
        expect(builder.size).toBe(n);
        const root = toHex(builder.root());
        expect(root, `size ${n}`).toBe(toHex(mth(0, n)));
        expect(toHex(m.merkleRoot(leaves.slice(0, n))), `size ${n}`).toBe(root);
        // root() must not disturb the state it folds.
        expect(toHex(builder.root())).toBe(root);
        if (n < 300) builder.append(leaves[n]!);
      }
    });

    it('holds the perfect-subtree roots, largest first', () => {
      for (const n of [0, 1, 2, 3, 7, 8, 13, 255, 256, 300]) {
        const range = m.compactRangeFromLeaves(leaves.slice(0, n));
        const want: string[] = [];
        for (let bit = 256, at = 0; bit >= 1; bit /= 2) {
          if (n - at >= bit) {
            want.push(toHex(mth(at, at + bit)));
            at += bit;
          }
        }
        expect(range.size).toBe(n);
        expect(range.nodes.map(toHex), `size ${n}`).toEqual(want);
      }
    });

    it('resumes from any compact range to the same roots and ranges as a full build', () => {
      const full = m.createTreeBuilder();
      const fullRanges = [full.compactRange()];
      for (const leaf of leaves) {
        full.append(leaf);
        fullRanges.push(full.compactRange());
      }
      for (let p = 0; p <= 300; p++) {
        const resumed = m.createTreeBuilder(m.compactRangeFromLeaves(leaves.slice(0, p)));
        expect(resumed.size).toBe(p);
        for (let i = p; i < 300; i++) {
          resumed.append(leaves[i]!);
          if (i % 37 === 0) expect(resumed.compactRange()).toEqual(fullRanges[i + 1]);
        }
        expect(toHex(resumed.root()), `resume at ${p}`).toBe(toHex(mth(0, 300)));
      }
    });

    it('appendFrom takes leaf hashes side by side in one array, as append takes them one by one', () => {
      const packed = new Uint8Array(32 * leaves.length + 7);
      leaves.forEach((leaf, i) => packed.set(leaf, 3 + 32 * i));
      const one = m.createTreeBuilder();
      const many = m.createTreeBuilder();
      for (let i = 0; i < leaves.length; i++) {
        one.append(leaves[i]!);
        many.appendFrom(packed, 3 + 32 * i);
        if (i % 17 === 0 || i === leaves.length - 1) {
          expect(many.compactRange(), `size ${i + 1}`).toEqual(one.compactRange());
          expect(toHex(many.root())).toBe(toHex(mth(0, i + 1)));
        }
      }
      packed.fill(0);
      expect(toHex(many.root())).toBe(toHex(mth(0, leaves.length)));
    });

    it('appendFrom refuses an offset without 32 bytes after it, and changes nothing', async () => {
      const builder = m.createTreeBuilder();
      const bytes = new Uint8Array(64);
      for (const offset of [-1, 33, 64, 1.5, Number.NaN]) {
        await expectCode(() => builder.appendFrom(bytes, offset), 'ERR_AUDIT_INVALID_PROOF_REQUEST');
      }
      expect(builder.size).toBe(0);
      builder.appendFrom(bytes, 32);
      expect(builder.size).toBe(1);
    });

    it('copies: mutating inputs or outputs does not change the builder', () => {
      const leaf = leaves[0]!.slice();
      const builder = m.createTreeBuilder();
      builder.append(leaf);
      leaf.fill(0);
      const range = builder.compactRange();
      (range.nodes[0] as Uint8Array).fill(1);
      builder.root().fill(2);
      expect(toHex(builder.root())).toBe(toHex(leaves[0]!));
      m.createTreeBuilder().root().fill(3);
      expect(toHex(m.createTreeBuilder().root())).toBe(vectors.roots[0]!.root);
    });

    it('rejects bad leaves and bad starting ranges', async () => {
      const builder = m.createTreeBuilder();
      await expectCode(() => builder.append(new Uint8Array(31)), 'ERR_AUDIT_INVALID_PROOF_REQUEST');
      expect(builder.size).toBe(0);
      for (const start of [
        { size: 3, nodes: [leaves[0]!] },
        { size: 2, nodes: [leaves[0]!, leaves[1]!] },
        { size: 1, nodes: [new Uint8Array(16)] },
        { size: -1, nodes: [] },
        { size: 1.5, nodes: [leaves[0]!] },
      ]) {
        await expectCode(() => m.createTreeBuilder(start), 'ERR_AUDIT_INVALID_PROOF_REQUEST');
      }
    });

    it('encodes and decodes compact ranges', async () => {
      for (const n of [0, 1, 2, 5, 8, 127, 128, 299, 300]) {
        const range = m.compactRangeFromLeaves(leaves.slice(0, n));
        const bytes = m.encodeCompactRange(range);
        expect(bytes.length).toBe(range.nodes.length * 32);
        expect(m.decodeCompactRange(n, bytes)).toEqual(range);
      }
      const five = m.encodeCompactRange(m.compactRangeFromLeaves(leaves.slice(0, 5)));
      for (const [size, bytes] of [
        [5, five.subarray(0, 63)],
        [5, new Uint8Array(96)],
        [4, five],
        [7, five],
        [0, new Uint8Array(32)],
        [-1, new Uint8Array(0)],
        [NaN, new Uint8Array(0)],
      ] as const) {
        await expectCode(() => m.decodeCompactRange(size, bytes), 'ERR_AUDIT_INVALID_PROOF_REQUEST');
      }
      await expectCode(() => m.encodeCompactRange({ size: 5, nodes: [leaves[0]!] }), 'ERR_AUDIT_INVALID_PROOF_REQUEST');
    });
  });
}

merkleSuite(digestBackend, merkleModule);
