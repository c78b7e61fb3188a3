// Appending on a real Postgres server (issue "Performance"): one append per transaction,
// appendMany, and an audited business insert against the same insert alone (and against the
// same insert plus one empty statement, the floor for any append that is a statement of its own). A scratch database
// is created and dropped; the store connects as the application role (stela_audit_writer), as
// in production. DATABASE_URL names the server (default postgres://postgres@127.0.0.1:5432/test).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { availableParallelism } from 'node:os';
import { cpuSeconds, dist, dropScratchDatabase, figure, load, median, round } from './_lib.mjs';

const { createAuditLog, createLocalSigner, generateAuditKey } = await import(join(dist, 'index.js'));
const { createPostgresStore, migrate } = await import(join(dist, 'store', 'postgres.js'));
const { sampleEvents } = await import(join(dist, 'sample.js'));

const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const APPENDS = 2_000;
const MANY = 40_000;
const MANY_BATCH = 1_000;
const PAIRS = 1_500;

const entries = [];
for (const e of sampleEvents({ rows: MANY + 2 * APPENDS, seed: 'pg-bench' })) if (e.kind === 'entry') entries.push(e.entry);
let next = 0;
const entry = (tenant) => ({ ...entries[next++ % entries.length], tenant });

const name = `stela_audit_bench_${process.pid}_${Date.now()}`;
const admin = new pg.Client({ connectionString: ADMIN_URL });
await admin.connect();
const settings = Object.fromEntries(
  (await admin.query(`SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'server_version', 'shared_buffers')`)).rows.map((r) => [r.name, r.setting]),
);
await admin.query(`CREATE DATABASE ${name}`);
const url = new URL(ADMIN_URL);
url.pathname = '/' + name;
const pools = [];

// The server's CPU time, where it runs on this machine: user + system time of the bench
// database's backends, from /proc (clock ticks). Null when the server is elsewhere.
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
const serverTicks = async () => {
  const { rows } = await admin.query('SELECT pid FROM pg_stat_activity WHERE datname = $1', [name]);
  const byPid = new Map();
  for (const { pid } of rows) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      byPid.set(pid, Number(f[11]) + Number(f[12]));
    } catch {
      return null;
    }
  }
  return byPid;
};
/** Server CPU seconds between two serverTicks() readings (a backend that started between them counts from zero). */
const serverCpuSeconds = (before, after) => {
  if (!before || !after) return null;
  let ticks = 0;
  for (const [pid, t] of after) ticks += t - (before.get(pid) ?? 0);
  return ticks / CLK_TCK;
};
try {
  const owner = new pg.Client({ connectionString: url.href });
  await owner.connect();
  await migrate({ client: owner });
  // The business table the audited insert goes with.
  await owner.query(`CREATE TABLE public.members (id bigserial PRIMARY KEY, tenant text NOT NULL, email text NOT NULL, role text NOT NULL, invited_by text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
  await owner.query(`GRANT SELECT, INSERT ON public.members TO stela_audit_writer; GRANT USAGE ON SEQUENCE public.members_id_seq TO stela_audit_writer`);
  await owner.end();

  const pool = new pg.Pool({ connectionString: url.href, options: '-c role=stela_audit_writer', max: 4 });
  pools.push(pool);
  const key = await generateAuditKey();
  const log = createAuditLog({ store: createPostgresStore({ pool }), signer: await createLocalSigner(key.privateJwk), logName: 'audit.bench.example' });
  const notes = `PostgreSQL ${settings.server_version} on 127.0.0.1, fsync=${settings.fsync}, synchronous_commit=${settings.synchronous_commit} (server defaults, not tuned); sample-generator entries (~1 KB with commitments)`;

  // 1. One append per transaction, one tenant; the baseline is a plain one-row INSERT
  // transaction on the same server in the same run, which bounds what any append can reach.
  const plainClient = await pool.connect();
  const plainTx = async (i) => {
    await plainClient.query('BEGIN');
    await plainClient.query('INSERT INTO public.members (tenant, email, role, invited_by) VALUES ($1, $2, $3, $4)', ['org_plain', `p${i}@example.com`, 'member', 'usr_admin']);
    await plainClient.query('COMMIT');
  };
  for (let i = 0; i < 100; i++) await plainTx(i);
  let t = performance.now();
  for (let i = 0; i < APPENDS; i++) await plainTx(i);
  const plainPerSecond = APPENDS / ((performance.now() - t) / 1000);
  plainClient.release();
  for (let i = 0; i < 100; i++) await log.append(entry('org_single'));
  const singleEntries = Array.from({ length: APPENDS }, () => entry('org_single'));
  let server0 = await serverTicks();
  let cpu0 = cpuSeconds();
  t = performance.now();
  for (const e of singleEntries) await log.append(e);
  let s = (performance.now() - t) / 1000;
  const singleClientUs = ((cpuSeconds() - cpu0) / APPENDS) * 1e6;
  const singleServerS = serverCpuSeconds(server0, await serverTicks());
  const split = (clientUs, serverS, count, perS) =>
    serverS === null
      ? `this process ${round(clientUs, 1)} µs CPU each (server CPU not readable from here)`
      : `CPU per ${count}: this process ${round(clientUs, 1)} µs, the server's backends ${round((serverS / perS) * 1e6, 1)} µs (/proc)`;
  figure({
    id: 'pg.append', title: 'Append, one per transaction, one tenant (real Postgres)', value: round(APPENDS / s), unit: 'appends/s', n: APPENDS,
    baseline: { title: 'plain one-row INSERT transactions', value: round(plainPerSecond), unit: 'transactions/s', n: APPENDS },
    target: { text: '≥ 2,000/s', op: '>=', value: 2000, of: 'value' },
    notes: `${notes}; ${split(singleClientUs, singleServerS, 'append', APPENDS)}, against ${round((s / APPENDS) * 1e6)} µs of wall time per append (this process's CPU counts all its threads); load average ${load()}`,
  });

  // 2. appendMany in batches.
  await log.appendMany(Array.from({ length: 200 }, () => entry('org_many')));
  // Batches are built before the clock starts, so the CPU figure is the library's and the driver's.
  const batches = Array.from({ length: MANY / MANY_BATCH }, () => Array.from({ length: MANY_BATCH }, () => entry('org_many')));
  server0 = await serverTicks();
  cpu0 = cpuSeconds();
  t = performance.now();
  for (const batch of batches) await log.appendMany(batch);
  s = (performance.now() - t) / 1000;
  const cpuPerEntry = ((cpuSeconds() - cpu0) / MANY) * 1e6;
  const manyServerS = serverCpuSeconds(server0, await serverTicks());
  const serverPerEntry = manyServerS === null ? null : (manyServerS / MANY) * 1e6;
  figure({
    id: 'pg.appendMany', title: `appendMany, ${MANY_BATCH.toLocaleString('en-US')} entries per call (real Postgres)`, value: round(MANY / s), unit: 'entries/s', n: MANY,
    target: { text: '≥ 20,000/s', op: '>=', value: 20000, of: 'value' }, notes: `${MANY.toLocaleString('en-US')} entries; load average ${load()}`,
  });
  // Postgres works on the other core, so entries/s depends on machine load; this process's own
  // CPU per entry (user + system, so the socket writes count) does much less.
  figure({
    id: 'pg.appendMany.cpu', title: 'appendMany: this process\'s CPU per entry (parse, seal, parameters, driver)', value: round(cpuPerEntry, 1), unit: 'µs/entry', n: MANY,
    notes: `same run as pg.appendMany; load average ${load()}`,
  });
  // Both sides' CPU per entry bound entries/s on this machine: the library and the server run on
  // its two cores at once (appendMany seals a part while the server inserts the one before), so
  // even perfectly overlapped they cannot beat cores / (client + server CPU per entry).
  if (serverPerEntry !== null) {
    const cores = availableParallelism();
    figure({
      id: 'pg.appendMany.server-cpu', title: 'appendMany: the server\'s CPU per entry (its backends, from /proc)', value: round(serverPerEntry, 1), unit: 'µs/entry', n: MANY,
      notes: `same run as pg.appendMany; with this process's ${round(cpuPerEntry, 1)} µs, ${round(cpuPerEntry + serverPerEntry, 1)} µs of CPU per entry in all: ${cores} cores fully busy would give at most ${round((cores * 1e6) / (cpuPerEntry + serverPerEntry)).toLocaleString('en-US')} entries/s, against ${round(MANY / s).toLocaleString('en-US')} measured`,
    });
  }

  // 3. Audited insert vs plain insert: the same business row, with and without `log.append` in
  // its transaction. Alternating blocks, so drift in machine load hits both alike.
  const client = await pool.connect();
  const insert = (i) => client.query('INSERT INTO public.members (tenant, email, role, invited_by) VALUES ($1, $2, $3, $4)', ['org_pair', `m${i}@example.com`, 'member', 'usr_admin']);
  const plainMs = [];
  const floorMs = [];
  const auditedMs = [];
  const BLOCK = 50;
  for (let b = 0; b < PAIRS / BLOCK + 2; b++) {
    const warm = b < 2;
    let t0 = performance.now();
    for (let i = 0; i < BLOCK; i++) {
      await client.query('BEGIN');
      await insert(i);
      await client.query('COMMIT');
    }
    if (!warm) plainMs.push((performance.now() - t0) / BLOCK);
    // The floor: the same transaction with one more statement that does nothing. Any append that
    // is a statement of its own pays at least this round trip.
    t0 = performance.now();
    for (let i = 0; i < BLOCK; i++) {
      await client.query('BEGIN');
      await insert(i);
      await client.query({ name: 'stela_bench_empty', text: 'SELECT 1', values: [] });
      await client.query('COMMIT');
    }
    if (!warm) floorMs.push((performance.now() - t0) / BLOCK);
    t0 = performance.now();
    for (let i = 0; i < BLOCK; i++) {
      await client.query('BEGIN');
      await insert(i);
      await log.append({ ...entry('org_pair'), action: 'member.invited' }, { tx: client });
      await client.query('COMMIT');
    }
    if (!warm) auditedMs.push((performance.now() - t0) / BLOCK);
  }
  client.release();
  const plain = plainMs.reduce((a, b) => a + b, 0) / plainMs.length;
  const audited = auditedMs.reduce((a, b) => a + b, 0) / auditedMs.length;
  const floor = floorMs.reduce((a, b) => a + b, 0) / floorMs.length;
  figure({
    id: 'pg.audited-insert', title: 'Audited insert (business row + log.append, one transaction) vs the plain insert', value: round(audited * 1000), unit: 'µs/transaction', n: auditedMs.length * BLOCK,
    baseline: { title: 'plain insert alone', value: round(plain * 1000), unit: 'µs/transaction', n: plainMs.length * BLOCK },
    target: { text: '≤ 1.5× plain', op: '<=', value: 1.5, of: 'ratio' },
    notes: `mean over ${plainMs.length} alternating blocks of ${BLOCK}; block-median ratio ${round(median(auditedMs) / median(plainMs), 2)}; load average ${load()}`,
  });
  figure({
    id: 'pg.audited-insert.floor', title: 'Floor: the plain insert plus one empty statement (SELECT 1) in its transaction vs the plain insert', value: round(floor * 1000), unit: 'µs/transaction', n: floorMs.length * BLOCK,
    baseline: { title: 'plain insert alone', value: round(plain * 1000), unit: 'µs/transaction', n: plainMs.length * BLOCK },
    notes: `same alternating blocks as pg.audited-insert; one more round trip that writes nothing, which an append sent as a statement of its own cannot avoid: of the audited insert's ${round((audited - plain) * 1000)} µs over the plain insert, ${round((floor - plain) * 1000)} µs is that round trip; block-median ratio ${round(median(floorMs) / median(plainMs), 2)}`,
  });
} finally {
  await Promise.all(pools.map((p) => p.end()));
  await dropScratchDatabase(admin, name);
  await admin.end();
}
