// The verifier reads bytes and cuts them into batches of whole lines itself, so its report must
// not depend on how the input arrives: chunks of any size, split inside the BOM, inside CR LF or
// inside a multi-byte character. Bad UTF-8 is reported at its own record, after any earlier
// failure in file order.
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { verifyExport, type VerifyReport } from '../src/index.js';
import { REUSES_CHUNKS } from '../src/verify.js';
import { makeLog, readAll, sampleEntry } from './helpers.js';

let jwks: unknown;
let bytes: Uint8Array;
let text: string;
const utf8 = new TextEncoder();

beforeAll(async () => {
  const made = await makeLog({ entries: 0 });
  jwks = made.jwks;
  // Several batches (over 64 KiB) of rows with 2-, 3- and 4-byte UTF-8 characters.
  await made.log.appendMany(
    Array.from({ length: 160 }, (_, i) => {
      const e = sampleEntry(i);
      return { ...e, actor: { ...e.actor, display: `Zoë Ørsted ${i} 😀` }, metadata: { ...(e.metadata as Record<string, unknown>), note: `€${'ü'.repeat(i % 40)}—${'x'.repeat(300)}` } };
    }),
  );
  text = await readAll(made.log.exportCsv('org_1', { bom: true }));
  bytes = utf8.encode(text);
  expect(bytes.length).toBeGreaterThan(3 * 64 * 1024);
});

/** Feeds `data` in chunks of the given sizes (cycled), as a stream would. */
async function* chunked(data: Uint8Array, sizes: number[]): AsyncIterable<Uint8Array> {
  for (let at = 0, i = 0; at < data.length; i++) {
    const n = sizes[i % sizes.length]!;
    yield data.slice(at, at + n);
    at += n;
  }
}

/**
 * Like `chunked`, but as `verifyFile`'s reader does: every chunk is a view of one of two buffers,
 * filled again once the next-but-one chunk is asked for, so anything the verifier kept without
 * copying would be overwritten. Afterwards the buffers are scribbled over too.
 */
function reusing(data: Uint8Array, sizes: number[]): AsyncIterable<Uint8Array> {
  const largest = Math.max(...sizes);
  const buffers = [new Uint8Array(largest), new Uint8Array(largest)];
  const used = [0, 0];
  async function* gen() {
    let turn = 0;
    for (let at = 0, i = 0; at < data.length; i++) {
      const n = Math.min(sizes[i % sizes.length]!, data.length - at);
      const b = buffers[turn]!;
      // Scribble over what this buffer held last time, then fill it again.
      b.fill(0x2c, 0, used[turn]);
      b.set(data.subarray(at, at + n));
      used[turn] = n;
      turn ^= 1;
      yield b.subarray(0, n);
      at += n;
    }
    for (const b of buffers) b.fill(0x41);
  }
  return Object.assign(gen(), { [REUSES_CHUNKS]: true });
}

const summary = (r: VerifyReport) => ({ ok: r.ok, code: r.code, failure: r.failure, rows: r.rows, erasedFields: r.erasedFields, bom: r.bom, bytes: r.bytes, lastSeq: r.lastSeq });

/** The record number (1-based) of the line holding byte offset `at`. */
const recordAt = (data: Uint8Array, at: number) => {
  let n = 1;
  for (let i = 0; i < at; i++) if (data[i] === 10) n++;
  return n;
};

describe('chunking (fast-check)', () => {
  it('gives the same report however the bytes are chunked', async () => {
    const whole = summary(await verifyExport(bytes, { keys: jwks }));
    expect(whole).toMatchObject({ ok: true, rows: 160, bom: true });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 70_000 })), { minLength: 1, maxLength: 8 }), async (sizes) => {
        expect(summary(await verifyExport(chunked(bytes, sizes), { keys: jwks }))).toEqual(whole);
      }),
      { numRuns: 40 },
    );
  });

  it('gives the same report from a source that reuses its buffers (verifyFile\'s reader), good or tampered', async () => {
    const whole = summary(await verifyExport(bytes, { keys: jwks }));
    const tampered = bytes.slice();
    const mid = Math.floor(tampered.length / 2);
    tampered[mid] = tampered[mid]! ^ 0x01;
    const bad = summary(await verifyExport(tampered, { keys: jwks }));
    expect(bad.ok).toBe(false);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 70_000 })), { minLength: 1, maxLength: 8 }), async (sizes) => {
        expect(summary(await verifyExport(reusing(bytes, sizes), { keys: jwks }))).toEqual(whole);
        // On a failure, `bytes` is how far reading had got, which follows the chunking.
        expect({ ...summary(await verifyExport(reusing(tampered, sizes), { keys: jwks })), bytes: 0 }).toEqual({ ...bad, bytes: 0 });
      }),
      { numRuns: 40 },
    );
  });

  it('reports bytes that are not UTF-8 at their own record, however the bytes are chunked', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 3, max: bytes.length - 1 }),
        // Bytes that never occur in UTF-8 (a stray continuation byte could complete a valid character).
        fc.constantFrom(0xff, 0xc0, 0xf8),
        fc.array(fc.integer({ min: 1, max: 90_000 }), { minLength: 1, maxLength: 4 }),
        async (at, bad, sizes) => {
          // Never replace a line break: that would change which record is which.
          fc.pre(bytes[at] !== 10 && bytes[at] !== 13);
          const broken = bytes.slice();
          broken[at] = bad;
          const r = await verifyExport(chunked(broken, sizes), { keys: jwks });
          expect(r.code, r.message).toBe('ERR_AUDIT_ENCODING');
          expect(r.failure?.row).toBe(recordAt(broken, at));
          expect(r.integrityFailure).toBe(false);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('reports an earlier integrity failure before a later encoding error', async () => {
    const lines = text.split('\r\n');
    const target = lines.findIndex((l) => l.startsWith('entry,5,'));
    lines[target] = lines[target]!.replace('skill.downloaded', 'skill.uploaded').replace('member.invited', 'member.removed').replace('auth.signed_in', 'auth.signed_out');
    const joined = lines.join('\r\n');
    const edited = utf8.encode(joined);
    // A byte inside row 150's tenant cell, far later in the file, made invalid.
    edited[utf8.encode(joined.slice(0, joined.indexOf('entry,150,'))).length + 12] = 0xff;
    const r = await verifyExport(chunked(edited, [4096]), { keys: jwks });
    expect(r).toMatchObject({ code: 'ERR_AUDIT_HASH_MISMATCH', failure: { row: target + 1, seq: 5 } });
  });

  it('says so when the file ends inside a multi-byte character', async () => {
    const cut = utf8.encode(text.slice(0, text.lastIndexOf('😀') + 1)).slice(0, -1);
    const r = await verifyExport(chunked(cut, [1000]), { keys: jwks });
    expect(r.code).toBe('ERR_AUDIT_ENCODING');
    expect(r.message).toMatch(/ends inside a multi-byte character/);
    expect(r.failure?.row).toBe(recordAt(cut, cut.length - 1));
  });

  it('a BOM alone, or nothing, is an empty file', async () => {
    expect((await verifyExport(Uint8Array.of(0xef, 0xbb, 0xbf), { keys: jwks })).code).toBe('ERR_AUDIT_EMPTY_FILE');
    expect((await verifyExport(chunked(Uint8Array.of(0xef, 0xbb, 0xbf), [1]), { keys: jwks })).code).toBe('ERR_AUDIT_EMPTY_FILE');
    expect((await verifyExport(new Uint8Array(0), { keys: jwks })).code).toBe('ERR_AUDIT_EMPTY_FILE');
  });
});
