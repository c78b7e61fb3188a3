// The verifier's byte-level fast path (src/verify-row-fast.ts) only accepts rows, and hands every
// row it does not recognise to the general path. So whatever the bytes, a batch must get exactly
// the report the general path alone gives it: these properties tamper with real sample rows in
// every way a byte can go wrong and compare the two.
import { beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { createLocalSigner, generateAuditKey } from '../src/index.js';
import { sampleExport } from '../src/sample.js';
import { createFastRowState, verifyPlainRow } from '../src/verify-row-fast.js';
import { COL, quoteCell } from '../src/csv/format.js';
import { splitLine, verifyRowBatch, verifyRowBatchGeneral, type RowBatch } from '../src/verify-rows.js';

const utf8 = new TextEncoder();
let lines: Uint8Array[] = [];
let plain: Uint8Array[] = [];

beforeAll(async () => {
  const key = await generateAuditKey();
  const bytes = new Uint8Array(await new Response(sampleExport({ rows: 400, signer: await createLocalSigner(key.privateJwk) })).arrayBuffer());
  const all = new TextDecoder().decode(bytes).split('\r\n');
  // Entry rows, plus rows with non-ASCII text, so both UTF-8 branches of the fast path run.
  lines = all.filter((l) => l.startsWith('entry,')).map((l) => utf8.encode(l + '\r\n'));
  plain = lines.filter((l) => !new TextDecoder().decode(l).includes('metadata.'));
  expect(lines.length).toBe(400);
  expect(plain.length).toBeGreaterThan(300);
});

type Context = RowBatch['context'];
const context: Context = { tenant: 'org_acme', lastSeq: 400 };
const join = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) out.set(p, (at += p.length) - p.length);
  return out;
};
/** Both paths, on copies (a batch's bytes may be transferred, so neither sees the other's). */
const both = (bytes: Uint8Array, ctx: Context = context) =>
  [verifyRowBatch({ bytes: bytes.slice(), firstRow: 3, context: ctx }), verifyRowBatchGeneral({ bytes: bytes.slice(), firstRow: 3, context: ctx })] as const;
/** An export's context: its own tenant or another one, and a last seq that may cut the rows short. */
const contexts = fc.record({ tenant: fc.constantFrom('org_acme', 'org_acme', 'org_acmf', 'org_acm'), lastSeq: fc.integer({ min: 1, max: 400 }) });

/**
 * Writes into the last row of `batch` (at `rowAt`; the rows before it stay as they are) every hash
 * the fast path computed for it, until it accepts the row or declines it for another reason: what
 * a producer that signs whatever bytes it likes would send.
 */
const forge = (batch: Uint8Array, rowAt: number, ctx: Context = context, leafOnly = false): Uint8Array => {
  // With leafOnly, only the row's own hash is written (its hash cell ends 3 bytes before the
  // batch does: `,` for the empty data cell, CR, LF); its commitments stay as they are.
  for (let i = 0; i < 12; i++) {
    const st = createFastRowState(ctx.tenant, ctx.lastSeq, 16);
    if (rowAt > 0 && verifyPlainRow(batch, 0, st) < 0) break;
    if (verifyPlainRow(batch, rowAt, st) >= 0 || st.mismatchAt < 0) break;
    if (leafOnly && st.mismatchAt !== batch.length - 3 - 64) break;
    batch.set(utf8.encode(Array.from(st.digest, (b) => b.toString(16).padStart(2, '0')).join('')), st.mismatchAt);
  }
  return batch;
};

/** Bytes that matter to CSV, JSON, the escape rule and UTF-8, plus ordinary ones. */
const interesting = fc.constantFrom(0x22, 0x2c, 0x27, 0x3d, 0x2d, 0x40, 0x5c, 0x0d, 0x0a, 0x09, 0x00, 0x7b, 0x7d, 0x3a, 0x80, 0xc3, 0xe2, 0xf0, 0xff, 0x61, 0x30, 0x66, 0x20);

describe('the fast row path', () => {
  it('accepts every plain sample row on its own, and the whole run of them in order', () => {
    // One state reads one batch's bytes front to back, as verifyRowBatch does.
    const bytes = join(lines);
    const st = createFastRowState(context.tenant, context.lastSeq, 16);
    let accepted = 0;
    for (let at = 0, i = 0; i < lines.length; at += lines[i++]!.length) {
      if (verifyPlainRow(bytes, at, st) === at + lines[i]!.length - 1) accepted++;
      else st.firstSeq = null; // a row left to the general path breaks the run; start a new one
    }
    expect(accepted).toBe(plain.length);
    const [fast, general] = both(join(lines));
    expect(fast).toEqual(general);
    expect(fast).toMatchObject({ rows: 400, firstSeq: 1 });
    expect(fast.failure).toBeUndefined();
  });

  it('gives the general path’s report after any byte is replaced, inserted or deleted', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 380 }),
        fc.integer({ min: 1, max: 20 }),
        // Unbiased positions: fast-check leans towards small numbers, which would edit only the first row.
        fc.array(fc.record({ at: fc.noBias(fc.nat()), op: fc.constantFrom('set', 'insert', 'delete'), byte: interesting }), { minLength: 1, maxLength: 3 }),
        (from, count, edits) => {
          let bytes = join(lines.slice(from, from + count));
          for (const { at, op, byte } of edits) {
            const i = at % bytes.length;
            if (op === 'set') bytes[i] = byte;
            else if (op === 'insert') bytes = join([bytes.subarray(0, i), Uint8Array.of(byte), bytes.subarray(i)]);
            else bytes = join([bytes.subarray(0, i), bytes.subarray(i + 1)]);
          }
          const [fast, general] = both(bytes);
          expect(fast).toEqual(general);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('gives the general path’s report when rows are dropped, repeated, swapped or cut short', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 399 }), { minLength: 1, maxLength: 12 }), fc.nat(), contexts, (picks, cut, ctx) => {
        const bytes = join(picks.map((i) => lines[i]!));
        const [fast, general] = both(bytes.subarray(0, bytes.length - (cut % 40)), ctx);
        expect(fast).toEqual(general);
      }),
      { numRuns: 1000 },
    );
  });

  it('gives the general path’s report for cells that escape, quote or leave the ASCII range', () => {
    const cellEdits = fc.constantFrom(
      ['Priya Park', 'Zoë Ørsted 😀'],
      ['Priya Park', '"Park, Priya"'],
      ['Priya Park', '"Priya ""P"" Park"'],
      ['Priya Park', "'=Priya"],
      ['Priya Park', "'Priya"],
      ['Priya Park', 'Priya\\Park'],
      ['skill.downloaded', "'-skill.downloaded"],
      ['org_acme', '"org_acme"'],
      ['org_acme', 'org_acmé'],
      ['success', '"success"'],
      ['usr_', '=usr_'],
      [',\r\n', ',x\r\n'],
      [',\r\n', ',\rx\r\n'],
      [',\r\n', ',\r'],
      [',\r\n', ',""\r\n'],
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 390 }), cellEdits, (from, [find, put]) => {
        const text = new TextDecoder().decode(join(lines.slice(from, from + 4)));
        const [fast, general] = both(utf8.encode(text.replace(find, put)));
        expect(fast).toEqual(general);
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with the general path on rows whose hashes were made to match their edits', () => {
    // A producer can sign whatever bytes it likes, so hash checks alone do not keep the paths
    // together: each edited row is forged (see `forge`).
    let raw = '';
    const odd = fc.constantFrom('\\', '"', '\t', '\n', '\r\n', '\u0001', '\u000b', '\u001f', '\u007f', '\u0085', 'é', '😀', "'", '=', ',', '\u2028', '\uffff', '{', '}', ':', ' ');
    const edit = fc.oneof(
      // a character (\uffff stands for the byte 0xff, which is not UTF-8) put into any cell
      fc.record({ col: fc.integer({ min: 1, max: 22 }), at: fc.nat({ max: 80 }), text: odd }).map((e) => (cells: string[]) => {
        const v = cells[e.col] ?? '';
        cells[e.col] = v.slice(0, e.at % (v.length + 1)) + e.text + v.slice(e.at % (v.length + 1));
      }),
      // a cell replaced outright
      fc.record({ col: fc.integer({ min: 1, max: 22 }), text: fc.constantFrom('', "'", "'=x", "''x", "'x", '-x', '"', 'a\\b', '{}', '1', '01', '00', '399', '401') }).map((e) => (cells: string[]) => {
        cells[e.col] = e.text;
      }),
      // a cell too few or too many
      fc.constantFrom('pop', 'push').map((op) => (cells: string[]) => void (op === 'pop' ? cells.pop() : cells.push(''))),
      // a JSON cell written without CSV quotes, with a CR or not, or with text after its closing
      // quote (RAWCELL is replaced below)
      fc.constantFrom('{"n":1}', '{\r}', '{}\r', '"{}"x', '"{}" ').map((text) => (cells: string[]) => {
        raw = text;
        cells[COL.metadata] = 'RAWCELL';
      }),
      // the commitments or salts object reshaped: a member dropped, added, renamed or escaped
      fc.record({ col: fc.constantFrom(COL.commitments, COL.salts), op: fc.constantFrom('drop', 'orphan', 'metadata', 'escape', 'reverse', 'number', 'trail') }).map((e) => (cells: string[]) => {
        let o: Record<string, unknown>;
        try {
          o = JSON.parse(cells[e.col] ?? '') as Record<string, unknown>;
        } catch {
          return; // an earlier edit broke it already
        }
        const keys = Object.keys(o ?? {});
        if (keys.length === 0) return;
        if (e.op === 'drop') delete o[keys[0]!];
        // a field erased by hand: commitment and value gone, salt left behind
        if (e.op === 'orphan' && keys[0] !== undefined && keys[0] in COL) {
          delete o[keys[0]];
          cells[COL[keys[0] as keyof typeof COL]] = '';
        }
        if (e.op === 'metadata') o['metadata.x'] = o[keys[0]!];
        if (e.op === 'number') o[keys[0]!] = 7;
        const text = e.op === 'reverse' ? JSON.stringify(Object.fromEntries(Object.entries(o).reverse())) : JSON.stringify(o);
        if (e.op === 'trail') return void (cells[e.col] = text + ' x');
        cells[e.col] = e.op === 'escape' ? text.replace(/"([a-z])/, '"\\u00$1').replace(/u00([a-z])/, (_, c: string) => 'u00' + c.charCodeAt(0).toString(16)) : text;
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 399 }), fc.boolean(), fc.array(edit, { minLength: 1, maxLength: 2 }), (i, second, edits) => {
        // The edited row alone, or after its predecessor (so seq and prev_hash are checked too).
        const before = second && i > 0 ? lines[i - 1]! : new Uint8Array(0);
        raw = '';
        const cells = splitLine(new TextDecoder().decode(lines[i]!.subarray(0, lines[i]!.length - 2))) as string[];
        for (const e of edits) e(cells);
        const text = cells.map(quoteCell).join(',').replace('RAWCELL', raw);
        let row = utf8.encode(text + '\r\n');
        // U+FFFF (EF BF BF) becomes the lone byte 0xFF
        for (let k = row.indexOf(0xef); k >= 0; k = row.indexOf(0xef, k + 1)) {
          if (row[k + 1] === 0xbf && row[k + 2] === 0xbf) row = Uint8Array.from([...row.subarray(0, k), 0xff, ...row.subarray(k + 3)]);
        }
        const [fast, general] = both(forge(join([before, row]), before.length));
        expect(fast).toEqual(general);
      }),
      { numRuns: 10_000 },
    );
  });

  it('gives the general path’s report for every hash digit made upper-case or not hex', () => {
    for (const line of lines.slice(0, 60)) {
      const at = line.length - 3 - 64;
      for (let i = at; i < at + 64; i++) {
        const bytes = line.slice();
        bytes[i] = bytes[i] === 0x66 ? 0x46 : 0x67; // f -> F, anything else -> g
        const [fast, general] = both(bytes);
        expect(fast).toEqual(general);
      }
    }
  });

  it('leaves a line over 1 MiB to the general path, even with matching hashes', () => {
    // A metadata cell of 1 MiB of 'x' (the log would never write one; a producer could), forged
    // like the rows above: the general path calls it too long, so the fast path must not take it.
    const text = new TextDecoder().decode(lines[0]).replace('""channel"":""web""', `""channel"":""${'x'.repeat(1_048_576)}""`);
    const row = utf8.encode(text);
    for (let i = 0; i < 3; i++) {
      const st = createFastRowState(context.tenant, context.lastSeq, 16);
      st.mismatchAt = -1;
      verifyPlainRow(row, 0, st);
      if (st.mismatchAt < 0) break;
      row.set(utf8.encode(Array.from(st.digest, (b) => b.toString(16).padStart(2, '0')).join('')), st.mismatchAt);
    }
    const [fast, general] = both(row);
    expect(general.failure).toMatchObject({ code: 'ERR_AUDIT_LINE_TOO_LONG', row: 3 });
    expect(fast).toEqual(general);
  });

  it('agrees with the general path on salts and values around the scratch array’s size', () => {
    // The fast path assembles each commitment input in a scratch array that starts at 8 KiB and
    // grows; inputs just under and over that size, forged to verify, must verify on both paths,
    // and one whose commitment covers only the first 8 KiB of its input must fail on both.
    const row = new TextDecoder().decode(lines[0]);
    const cells = splitLine(row.slice(0, -2)) as string[];
    const salts = JSON.parse(cells[COL.salts]!) as Record<string, string>;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9_500 }), fc.integer({ min: 1, max: 9_500 }), fc.boolean(), (saltLength, valueLength, truncated) => {
        const edited = [...cells];
        edited[COL.actor_email] = 'a'.repeat(valueLength) + '@example.com';
        edited[COL.salts] = JSON.stringify({ ...salts, actor_email: 'b'.repeat(saltLength) });
        const input = utf8.encode(`stela.audit/commitment/v1\n[${JSON.stringify('b'.repeat(saltLength))},"actor_email",${JSON.stringify(edited[COL.actor_email])}]`);
        if (truncated) {
          const commitments = JSON.parse(edited[COL.commitments]!) as Record<string, string>;
          commitments.actor_email = createHash('sha256').update(input.subarray(0, 8192)).digest('hex');
          edited[COL.commitments] = JSON.stringify(commitments);
        }
        const bytes = forge(utf8.encode(edited.map(quoteCell).join(',') + '\r\n'), 0, context, truncated);
        const [fast, general] = both(bytes);
        expect(fast).toEqual(general);
        expect(general.failure === undefined).toBe(!truncated || input.length <= 8192);
      }),
      { numRuns: 300 },
    );
  });

  it('leaves every row to the general path when the export’s tenant is not well-formed Unicode', () => {
    // UTF-8 turns a lone surrogate into U+FFFD; a row whose tenant cell is U+FFFD must not pass
    // as that tenant's, even with every hash forged.
    const ctx = { tenant: 'org_\ud800', lastSeq: 400 };
    const text = new TextDecoder().decode(lines[0]).replace(',org_acme,', ',org_\ufffd,');
    const [fast, general] = both(forge(utf8.encode(text), 0, ctx), ctx);
    expect(general.failure?.code).toBe('ERR_AUDIT_HASH_MISMATCH');
    expect(fast).toEqual(general);
  });

  it('refuses a row whose hashes match but whose bytes are not UTF-8 (a producer that signed them)', () => {
    // Put a byte that is not UTF-8 into the action cell of the first row, then write into the hash
    // cell the leaf hash of exactly those bytes, as a careless or hostile signer would: the fast
    // path reports the hash it computed when it declines a row for its hash.
    const row = new TextDecoder().decode(lines[0]).replace('skill.downloaded', 'skill.downl\u0000aded');
    const bytes = utf8.encode(row);
    bytes[bytes.indexOf(0)] = 0xff;
    const st = createFastRowState(context.tenant, context.lastSeq, 16);
    expect(verifyPlainRow(bytes, 0, st)).toBe(-1);
    expect(st.mismatchAt).toBe(bytes.length - 3 - 64);
    bytes.set(utf8.encode(Array.from(st.digest, (b) => b.toString(16).padStart(2, '0')).join('')), st.mismatchAt);
    const [fast, general] = both(bytes);
    expect(general.failure).toMatchObject({ code: 'ERR_AUDIT_ENCODING', row: 3 });
    expect(fast).toEqual(general);
  });
});
