import { describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { verifyExport, generateAuditKey, CSV_COLUMNS } from '../src/index.js';
import { makeLog, readAll } from './helpers.js';

describe('export → verify', () => {
  it('a full export verifies against the published keys', async () => {
    const { log, jwks } = await makeLog({ entries: 25 });
    const csv = await readAll(log.exportCsv('org_1'));
    const report = await verifyExport(csv, { keys: jwks });
    expect(report).toMatchObject({ ok: true, code: null, rows: 25, firstSeq: 1, lastSeq: 25, erasedFields: 0 });
    expect(report.checkpoint).toMatchObject({ size: 25, keyTrusted: true });
  });

  it('is RFC 4180: PapaParse reads the same cells', async () => {
    const { log } = await makeLog({ entries: 10 });
    const csv = await readAll(log.exportCsv('org_1'));
    const parsed = Papa.parse<string[]>(csv, { skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data[0]).toEqual([...CSV_COLUMNS]);
    expect(parsed.data).toHaveLength(1 + 1 + 10 + 1);
    expect(parsed.data.every((r) => r.length === CSV_COLUMNS.length)).toBe(true);
    // formula-looking values are escaped with a leading apostrophe
    expect(parsed.data.some((r) => r.includes("'=SUM(A1)"))).toBe(true);
  });

  it('range exports verify on their own', async () => {
    const { log, jwks } = await makeLog({ entries: 40 });
    for (const [from, to] of [[1, 1], [5, 17], [16, 16], [17, 40], [33, 40], [40, 40], [2, 39]] as const) {
      const csv = await readAll(log.exportCsv('org_1', { fromSeq: from, toSeq: to }));
      const r = await verifyExport(csv, { keys: jwks });
      expect(r, `${from}-${to}: ${r.message}`).toMatchObject({ ok: true, rows: to - from + 1, firstSeq: from, lastSeq: to });
    }
  });

  it('detects an edited cell, naming row and seq', async () => {
    const { log, jwks } = await makeLog({ entries: 12 });
    const csv = await readAll(log.exportCsv('org_1'));
    const tampered = csv.replace('req_5', 'req_X');
    const r = await verifyExport(tampered, { keys: jwks });
    expect(r).toMatchObject({ ok: false, code: 'ERR_AUDIT_HASH_MISMATCH', integrityFailure: true, failure: { seq: 6, row: 8 } });
  });

  it('detects a deleted row and a truncated file', async () => {
    const { log, jwks } = await makeLog({ entries: 12 });
    const lines = (await readAll(log.exportCsv('org_1'))).split('\r\n');
    const dropRow = lines.filter((l) => !l.startsWith('entry,4,')).join('\r\n');
    expect(await verifyExport(dropRow, { keys: jwks })).toMatchObject({ ok: false, code: 'ERR_AUDIT_SEQ_GAP' });
    const cut = lines.slice(0, 8).join('\r\n') + '\r\n';
    expect(await verifyExport(cut, { keys: jwks })).toMatchObject({ ok: false, code: 'ERR_AUDIT_TRUNCATED' });
  });

  it('rejects an unknown key and accepts an untrusted embedded key with a warning', async () => {
    const { log } = await makeLog({ entries: 3 });
    const other = await generateAuditKey();
    const csv = await readAll(log.exportCsv('org_1'));
    expect(await verifyExport(csv, { keys: other.publicJwks })).toMatchObject({ ok: false, code: 'ERR_AUDIT_UNKNOWN_KEY' });
    const r = await verifyExport(csv);
    expect(r.ok).toBe(true);
    expect(r.checkpoint?.keyTrusted).toBe(false);
    expect(r.warnings.join(' ')).toMatch(/not who signed it/);
  });

  it('reports erased fields after a GDPR erasure and still verifies', async () => {
    const { log, jwks } = await makeLog({ entries: 9 });
    const res = await log.erase('org_1', { type: 'user', id: 'u_1' });
    expect(res.fields).toBeGreaterThan(0);
    const csv = await readAll(log.exportCsv('org_1'));
    expect(csv).not.toContain('p1@example.com');
    const r = await verifyExport(csv, { keys: jwks });
    expect(r).toMatchObject({ ok: true, rows: 10, erasedFields: res.fields });
  });
});
