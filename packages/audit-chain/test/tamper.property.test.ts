// Property tests: every single-cell edit, row deletion, row swap, duplicated row, and truncation
// (with a trusted checkpoint) of a real export is detected (issue #2, "Bad input").
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createAuditLog, createMemoryStore, verifyExport, type Signer, type VerifyReport } from '../src/index.js';
import { CSV_COLUMNS, escapeCell, quoteCell, unescapeCell } from '../src/csv/format.js';
import { splitLine } from '../src/verify-rows.js';
import { fakeClock, fakeRandom, makeLog, readAll, sampleEntry } from './helpers.js';

const N = 24;
let lines: string[] = [];
let jwks: unknown;
let signer: Signer;
let trustedFull = '';
let log: Awaited<ReturnType<typeof makeLog>>['log'];

const join = (ls: string[]) => ls.join('\r\n');
// Split and unescape, so that toLine (which escapes) reproduces untouched cells exactly.
const rowsOf = (ls: string[]) => ls.map((l) => (splitLine(l) as string[]).map((c) => unescapeCell(c) ?? c));
const toLine = (cells: string[]) => cells.map((c) => quoteCell(escapeCell(c))).join(',');
const verify = (text: string, trustedCheckpoint?: string): Promise<VerifyReport> =>
  verifyExport(text, { keys: jwks, ...(trustedCheckpoint ? { trustedCheckpoint } : {}) });

beforeAll(async () => {
  const made = await makeLog({ entries: N });
  ({ log, jwks, signer } = made);
  await log.erase('org_1', { type: 'user', id: 'u_2' });
  await log.append(sampleEntry(99));
  lines = (await readAll(log.exportCsv('org_1'))).split('\r\n');
  trustedFull = (await log.latestCheckpoint('org_1'))!.jws;
  const r = await verify(join(lines));
  expect(r.ok, r.message).toBe(true);
  // The edit helpers must be exact: rewriting every line unchanged still verifies.
  expect((await verify(join(rowsOf(lines.slice(0, -1)).map(toLine).concat(lines.slice(-1))))).ok).toBe(true);
});

const entryLineIndexes = () => lines.map((l, i) => (l.startsWith('entry,') ? i : -1)).filter((i) => i >= 0);
const RUNS = { numRuns: 150 };

describe('tamper detection (fast-check)', () => {
  it('detects every single-cell edit anywhere in the file', async () => {
    const width = CSV_COLUMNS.length;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: lines.length - 2 }),
        fc.integer({ min: 0, max: width - 1 }),
        fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('', '0', '{}', '-1', 'entry', 'checkpoint', '=1+1', "'x", 'a'.repeat(64))),
        async (li, col, value) => {
          const cells = rowsOf([lines[li]!])[0]!;
          fc.pre(cells[col] !== value);
          const edited = [...lines];
          cells[col] = value;
          edited[li] = toLine(cells);
          const r = await verify(join(edited));
          expect(r.ok, `line ${li + 1}, column ${CSV_COLUMNS[col]} = ${JSON.stringify(value)}`).toBe(false);
        },
      ),
      RUNS,
    );
  });

  it('detects extra salts and values named after Object.prototype members', async () => {
    const idx = entryLineIndexes();
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const cells = rowsOf([lines[idx[3]!]!])[0]!;
      const col = CSV_COLUMNS.indexOf('salts');
      const salts = JSON.parse(cells[col]!) as Record<string, string>;
      cells[col] = JSON.stringify({ ...salts, [name]: 'AAAAAAAAAAAAAAAAAAAAAA' });
      const edited = [...lines];
      edited[idx[3]!] = toLine(cells);
      const r = await verify(join(edited));
      expect(r, name).toMatchObject({ ok: false, code: 'ERR_AUDIT_COMMITMENT_MISMATCH' });
    }
  });

  it('detects every deleted row', async () => {
    for (const i of entryLineIndexes()) {
      const r = await verify(join(lines.filter((_, j) => j !== i)));
      expect(r.ok).toBe(false);
      expect(['ERR_AUDIT_SEQ_GAP', 'ERR_AUDIT_TRUNCATED']).toContain(r.code);
    }
  });

  it('detects every swap of two rows', async () => {
    const idx = entryLineIndexes();
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: idx.length - 1 }), fc.integer({ min: 0, max: idx.length - 1 }), async (a, b) => {
        fc.pre(a !== b);
        const edited = [...lines];
        [edited[idx[a]!], edited[idx[b]!]] = [edited[idx[b]!]!, edited[idx[a]!]!];
        const r = await verify(join(edited));
        expect(r).toMatchObject({ ok: false, code: 'ERR_AUDIT_SEQ_GAP' });
      }),
      RUNS,
    );
  });

  it('detects every duplicated row, wherever the copy goes', async () => {
    const idx = entryLineIndexes();
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: idx.length - 1 }), fc.integer({ min: 2, max: lines.length - 2 }), async (which, at) => {
        const edited = [...lines];
        edited.splice(at, 0, lines[idx[which]!]!);
        const r = await verify(join(edited));
        expect(r.ok).toBe(false);
      }),
      RUNS,
    );
  });

  it('detects truncation at every length: cut files, and shorter re-signed exports against a trusted checkpoint', async () => {
    const all = lines.length;
    for (let keep = 0; keep < all - 1; keep++) {
      const r = await verify(join(lines.slice(0, keep)) + (keep ? '\r\n' : ''));
      expect(r.ok, `kept ${keep} lines`).toBe(false);
    }
    const size = (await log.latestCheckpoint('org_1'))!.checkpoint.size;
    for (let to = 1; to < size; to++) {
      // A range export ending early is honest, and verifies on its own...
      const partial = await readAll(log.exportCsv('org_1', { toSeq: to }));
      expect((await verify(partial)).ok).toBe(true);
    }
    // ...but a log cut back and re-signed (the vendor rewrote history) fails against a checkpoint
    // the customer already holds.
    const shorter = createAuditLog({ store: createMemoryStore(), signer, logName: 'audit.acme.example', now: fakeClock(), randomBytes: fakeRandom() });
    for (let i = 0; i < 10; i++) await shorter.append(sampleEntry(i));
    const rewritten = await readAll(shorter.exportCsv('org_1'));
    expect((await verify(rewritten)).ok).toBe(true);
    const r = await verify(rewritten, trustedFull);
    expect(r.code).toBe('ERR_AUDIT_CHECKPOINT_INCONSISTENT');
  });
});
