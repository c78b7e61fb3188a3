// CSV export from the real Postgres server (issue: "Export streams in constant memory"): peak
// RSS of an export of N rows against one of N/2 rows from the same log, each in a fresh
// process, and the export rate. The baseline is half the rows, so that V8 sizing its heap early
// on does not pass for growth (with 2,000-entry pages RSS rose over the first ~40k rows, then
// stayed flat); an export of N/10 rows is measured too and named in the notes. Each export is then verified with the shipped verifier, so a
// fast export that does not verify cannot count. A scratch database is created and dropped; the
// store connects as the application role. DATABASE_URL names the server, as in postgres.mjs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { child, dist, dropScratchDatabase, figure, load, round } from './_lib.mjs';

const { createAuditLog, createLocalSigner, generateAuditKey } = await import(join(dist, 'index.js'));
const { createPostgresStore, migrate } = await import(join(dist, 'store', 'postgres.js'));
const { sampleEvents } = await import(join(dist, 'sample.js'));
const { verifyFile } = await import(join(dist, 'verify-node.js'));

const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ROWS = Number(process.env.STELA_BENCH_EXPORT_ROWS ?? 200_000);
const TENANT = 'org_export';

const name = `stela_audit_export_${process.pid}_${Date.now()}`;
const admin = new pg.Client({ connectionString: ADMIN_URL });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const url = new URL(ADMIN_URL);
url.pathname = '/' + name;
const dir = mkdtempSync(join(tmpdir(), 'stela-export-bench-'));
let pool;
try {
  const owner = new pg.Client({ connectionString: url.href });
  await owner.connect();
  try {
    await migrate({ client: owner });
  } finally {
    await owner.end();
  }
  pool = new pg.Pool({ connectionString: url.href, options: '-c role=stela_audit_writer', max: 2 });
  const key = await generateAuditKey();
  const keyFile = join(dir, 'audit-key.private.jwk');
  writeFileSync(keyFile, JSON.stringify(key.privateJwk), { mode: 0o600 });
  const log = createAuditLog({ store: createPostgresStore({ pool }), signer: await createLocalSigner(key.privateJwk), logName: 'audit.bench.example' });

  // Fill the log: sample-generator entries (with personal data, so disclosures are exported too)
  // in batches, without keeping them all in memory here.
  const t = performance.now();
  let batch = [];
  for (const e of sampleEvents({ rows: ROWS, seed: 'export-bench' })) {
    if (e.kind !== 'entry') continue;
    batch.push({ ...e.entry, tenant: TENANT });
    if (batch.length === 1000) {
      await log.appendMany(batch);
      batch = [];
    }
  }
  if (batch.length) await log.appendMany(batch);
  const size = (await log.checkpoint(TENANT)).checkpoint.size;
  console.log(`  filled ${size.toLocaleString('en-US')} entries in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  // The sample's own erasure events are not appended, so the log holds a little under ROWS.
  const TENTH = Math.max(1, Math.floor(size / 10));
  const HALF = Math.max(1, Math.floor(size / 2));

  const runs = {};
  for (const rows of [TENTH, HALF, size]) {
    const out = join(dir, `export-${rows}.csv`);
    const r = child('_export-child.mjs', [url.href, TENANT, String(rows), out, keyFile]);
    const report = await verifyFile(out, { keys: key.publicJwks });
    if (!report.ok || report.rows !== rows) throw new Error(`the export of ${rows} rows did not verify: ${report.code} ${report.message}`);
    rmSync(out, { force: true });
    runs[rows] = r;
    console.log(`  export ${rows.toLocaleString('en-US')} rows: ${r.wallS.toFixed(1)} s wall, ${r.cpuS.toFixed(1)} CPU-s, ${r.maxRssMB.toFixed(0)} MB peak RSS, ${(r.bytes / 2 ** 20).toFixed(0)} MiB; verified; load ${load()}`);
  }
  const big = runs[size];
  const small = runs[HALF];
  const tenth = runs[TENTH];
  figure({
    id: 'export.pg.rss', title: `Peak RSS exporting ${size.toLocaleString('en-US')} rows from real Postgres (exportCsv, fresh process)`, value: round(big.maxRssMB, 1), unit: 'MB', n: 1,
    baseline: { title: `peak RSS exporting ${HALF.toLocaleString('en-US')} rows of the same log`, value: round(small.maxRssMB, 1), unit: 'MB' },
    target: { text: 'constant memory: ≤ 1.1× the export of half the rows', op: '<=', value: 1.1, of: 'ratio' },
    notes: `${(big.bytes / 2 ** 20).toFixed(0)} MiB of CSV against ${(small.bytes / 2 ** 20).toFixed(0)} MiB; ${TENTH.toLocaleString('en-US')} rows: ${round(tenth.maxRssMB, 1)} MB; every export verified with verifyFile afterwards; pages of 500 entries (the store default)`,
  });
  figure({
    id: 'export.pg.rate', title: `Export rate, ${size.toLocaleString('en-US')} rows from real Postgres to a file`, value: round(size / big.wallS), unit: 'rows/s', n: 1,
    notes: `${round(big.wallS, 1)} s wall, ${round(big.cpuS, 1)} CPU-s in the exporting process (the server's own time not counted); load average ${load()}`,
  });
} finally {
  await pool?.end();
  rmSync(dir, { recursive: true, force: true });
  await dropScratchDatabase(admin, name);
  await admin.end();
}
