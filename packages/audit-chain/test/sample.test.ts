import { describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { createAuditLog, createLocalSigner, createMemoryStore, generateAuditKey, parseEntryInput, verifyExport, CSV_COLUMNS } from '../src/index.js';
import { createSeededRandom, sampleCsv, sampleEvents, sampleExport, writeSampleLog } from '../src/sample.js';
import { readAll } from './helpers.js';

const key = await generateAuditKey();
const signer = await createLocalSigner(key.privateJwk);

async function text(rows: number, extra: Partial<Parameters<typeof sampleCsv>[0]> = {}) {
  return readAll(sampleExport({ rows, signer, ...extra }));
}

describe('sampleExport', () => {
  it('writes an export that verifies, with erased fields from the scheduled erasures', async () => {
    const csv = await text(3000);
    const r = await verifyExport(csv, { keys: key.publicJwks });
    expect(r, r.message).toMatchObject({ ok: true, rows: 3000, firstSeq: 1, lastSeq: 3000, tenant: 'org_acme', origin: 'audit.skillhub.example/org_acme' });
    expect(r.erasedFields).toBeGreaterThan(0);
    expect(r.checkpoint).toMatchObject({ size: 3000, keyTrusted: true });
    expect(r.warnings).toEqual([]);
  });

  it('is reproducible for a seed and differs between seeds', async () => {
    expect(await text(300, { seed: 'a' })).toBe(await text(300, { seed: 'a' }));
    expect(await text(300, { seed: 'a' })).not.toBe(await text(300, { seed: 'b' }));
  });

  it('is byte-for-byte the export createAuditLog writes for the same events, clock and salts', async () => {
    const rows = 2500; // spans two scheduled erasures (seq 180 and 2400)
    const fixed = new Date('2026-04-01T12:00:00.000Z');
    let clock = fixed;
    const log = createAuditLog({ store: createMemoryStore(), signer, logName: 'audit.skillhub.example', now: () => clock, randomBytes: createSeededRandom('salts') });
    await writeSampleLog(log, { rows, seed: 7, onEvent: (e) => (clock = new Date(e.recordedAt)) });
    clock = fixed;
    const viaLog = await readAll(log.exportCsv('org_acme', { bom: true }));
    const viaSample = await text(rows, { seed: 7, now: () => fixed, randomBytes: createSeededRandom('salts'), bom: true });
    expect(viaSample.length).toBe(viaLog.length);
    expect(viaSample).toBe(viaLog);
    for (const csv of [viaLog, viaSample]) {
      const r = await verifyExport(csv, { keys: key.publicJwks });
      expect(r).toMatchObject({ ok: true, rows, bom: true });
      expect(r.erasedFields).toBeGreaterThan(0);
    }
  });

  it('only produces entries the public schema accepts', () => {
    let n = 0;
    for (const e of sampleEvents({ rows: 5000, seed: 3 })) {
      if (e.kind !== 'entry') continue;
      expect(() => parseEntryInput(e.entry)).not.toThrow();
      n++;
    }
    expect(n).toBe(5000 - 2);
  });

  it('looks like a real tenant: actions, outcomes, documentation addresses, example domains', async () => {
    const csv = await text(4000, { seed: 11 });
    const { data, errors } = Papa.parse<string[]>(csv, { skipEmptyLines: true });
    expect(errors).toEqual([]);
    const col = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
    const entries = data.filter((r) => r[0] === 'entry');
    const actions = new Set(entries.map((r) => r[col('action')]));
    for (const a of ['skill.downloaded', 'skill.published', 'member.invited', 'member.role_changed', 'auth.signed_in', 'auth.sign_in_failed', 'api_key.created', 'policy.updated', 'privacy.erasure', 'member.removed']) {
      expect(actions, a).toContain(a);
    }
    const outcomes = new Set(entries.map((r) => r[col('outcome')]));
    expect([...outcomes].sort()).toEqual(['denied', 'failure', 'success']);
    expect(new Set(entries.map((r) => r[col('actor_type')]))).toEqual(new Set(['user', 'api_key', 'system', 'anonymous']));
    for (const r of entries) {
      const ip = r[col('ip')]!;
      if (ip) expect(ip).toMatch(/^(203\.0\.113\.|198\.51\.100\.|2001:db8:)/);
      const email = r[col('actor_email')]!;
      if (email) expect(email).toMatch(/@example\.(com|org)$/);
      if (r[col('actor_type')] === 'api_key') expect(email).toBe('');
    }
    // scoped skill names start with "@", so the reversible formula escape is exercised
    expect(entries.some((r) => r[col('target_display')]!.startsWith("'@acme/"))).toBe(true);
    expect(entries.some((r) => r[col('metadata')]!.includes('"sha256":"'))).toBe(true);
  });

  it('a shorter sample is a prefix of a longer one (same hashes), so checkpoints are consistent', async () => {
    const hashes = async (rows: number) => (await text(rows, { seed: 5 })).split('\r\n').filter((l) => l.startsWith('entry,')).map((l) => l.slice(-64 - 1, -1));
    const short = await hashes(200);
    const long = await hashes(260);
    expect(long.slice(0, 200)).toEqual(short);
  });

  it('rejects a bad row count', async () => {
    await expect(text(-1)).rejects.toMatchObject({ code: 'ERR_AUDIT_USAGE' });
  });
});
