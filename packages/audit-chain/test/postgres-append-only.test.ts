/**
 * What the real Postgres server enforces on its own, whatever the application does, and the
 * concurrency guarantee: eight writers on one tenant still make one gapless chain.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditLog, createLocalSigner, generateAuditKey, verifyExport, type AuditLog, type Signer } from '../src/index.js';
import { createPostgresStore, migrate, type PostgresQueryable } from '../src/store/postgres.js';
import { fakeClock, fakeRandom, readAll, sampleEntry } from './helpers.js';

const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const WRITER = '-c role=stela_audit_writer';

let admin: pg.Client;
let name: string;
let url: string;
/** Connects as the database superuser (the tables' owner here). */
let superuser: pg.Client;
/** Connects as the application role. */
let writer: pg.Client;
let pool: pg.Pool;
let log: AuditLog<PostgresQueryable>;
let jwks: Awaited<ReturnType<typeof generateAuditKey>>['publicJwks'];
let signer: Signer;

beforeAll(async () => {
  name = `stela_audit_guard_${process.pid}_${Date.now()}`;
  admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect().catch((e: unknown) => {
    throw new Error(`these tests need a Postgres server at ${ADMIN_URL} (set DATABASE_URL, or start one: pg_ctlcluster --skip-systemctl-redirect <version> main start)`, { cause: e });
  });
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(ADMIN_URL);
  u.pathname = '/' + name;
  url = u.href;
  superuser = new pg.Client({ connectionString: url });
  await superuser.connect();
  expect(await migrate({ client: superuser })).toEqual({ applied: ['001_audit_chain', '002_recorded_removals'] });
  expect(await migrate({ client: superuser })).toEqual({ applied: [] });
  writer = new pg.Client({ connectionString: url, options: WRITER });
  await writer.connect();
  pool = new pg.Pool({ connectionString: url, options: WRITER, max: 10 });
  const key = await generateAuditKey();
  jwks = key.publicJwks;
  signer = await createLocalSigner(key.privateJwk);
  log = createAuditLog({ store: createPostgresStore({ pool }), signer, logName: 'audit.acme.example', now: fakeClock(), randomBytes: fakeRandom() });
  await log.appendMany(Array.from({ length: 12 }, (_, i) => sampleEntry(i, 'org_guard')));
  await log.checkpoint('org_guard');
});

afterAll(async () => {
  await pool?.end();
  await writer?.end();
  await superuser?.end();
  if (!url) return; // the database was never created
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      break;
    } catch (e) {
      if ((e as { code?: string }).code !== '55006') throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  await admin?.end();
});

/** Runs `fn` in a transaction that is always rolled back, so a refused statement cannot poison later tests. */
async function attempt(client: pg.Client, ...statements: string[]): Promise<unknown> {
  await client.query('BEGIN');
  try {
    for (const s of statements) await client.query(s);
    return null;
  } catch (e) {
    return e;
  } finally {
    await client.query('ROLLBACK');
  }
}

const CHANGES = {
  UPDATE: "UPDATE stela_audit.entries SET action = 'forged.action' WHERE tenant_id = 'org_guard' AND seq = 3",
  DELETE: "DELETE FROM stela_audit.entries WHERE tenant_id = 'org_guard' AND seq = 3",
  TRUNCATE: 'TRUNCATE stela_audit.entries CASCADE',
};

describe('the application role', () => {
  it.each(Object.entries(CHANGES))('cannot %s audit entries', async (_, sql) => {
    expect(await attempt(writer, sql)).toMatchObject({ code: '42501', message: 'permission denied for table entries' });
  });

  it('cannot UPDATE, DELETE or TRUNCATE checkpoints or disclosures, or move a head back', async () => {
    for (const sql of [
      "UPDATE stela_audit.checkpoints SET note = 'x'",
      'DELETE FROM stela_audit.checkpoints',
      'TRUNCATE stela_audit.checkpoints',
      "UPDATE stela_audit.disclosures SET fields = '{}'",
      'DELETE FROM stela_audit.disclosures',
      'TRUNCATE stela_audit.disclosures',
      'DELETE FROM stela_audit.heads',
      "UPDATE stela_audit.pruned_prefixes SET size = 1",
      "UPDATE stela_audit.removals SET fields = 0",
      'DELETE FROM stela_audit.removals',
      'TRUNCATE stela_audit.removals',
      "INSERT INTO stela_audit.removals (tenant_id, kind, head_size, through_seq) VALUES ('org_guard', 'prune', 99, 1)",
    ]) {
      expect(await attempt(writer, sql), sql).toMatchObject({ code: '42501' });
    }
    expect(await attempt(writer, "UPDATE stela_audit.heads SET size = 5 WHERE tenant_id = 'org_guard'")).toMatchObject({
      code: 'SA001',
      message: expect.stringMatching(/size 12 cannot move back to 5/),
    });
    expect(await attempt(writer, "UPDATE stela_audit.heads SET tenant_id = 'other'")).toMatchObject({ code: '42501' });
    expect(await attempt(writer, "INSERT INTO stela_audit.heads VALUES ('fresh', 7, decode(repeat('00', 32), 'hex'), '', NULL)")).toMatchObject({
      code: 'SA001',
      message: expect.stringMatching(/starts empty/),
    });
  });

  it('cannot plant disclosure fields that are not an object, which would block that person\'s erasure', async () => {
    for (const fields of ['null', '[]', '"x"', '7']) {
      expect(await attempt(writer, `INSERT INTO stela_audit.disclosures (tenant_id, seq, subject_type, subject_id, fields) VALUES ('org_guard', 1, 'user', 'u_2', '${fields}')`), fields).toMatchObject({
        code: '23514',
        constraint: 'fields_is_object',
      });
    }
  });

  it('may set a legal hold but never lift one; the owner may', async () => {
    const hold = "INSERT INTO stela_audit.retention_policies (tenant_id, legal_hold) VALUES ('org_hold', true)";
    for (const lift of [
      "UPDATE stela_audit.retention_policies SET legal_hold = false WHERE tenant_id = 'org_hold'",
      "INSERT INTO stela_audit.retention_policies (tenant_id, legal_hold) VALUES ('org_hold', false) ON CONFLICT (tenant_id) DO UPDATE SET legal_hold = excluded.legal_hold",
    ]) {
      expect(await attempt(writer, hold, lift), lift).toMatchObject({ code: 'SA002', message: expect.stringMatching(/lifted only by the owner/) });
    }
    expect(await attempt(writer, "DELETE FROM stela_audit.retention_policies WHERE tenant_id = 'org_hold'")).toMatchObject({ code: '42501' });
    // Setting one, changing the retention period under it, and the owner lifting it all work.
    expect(await attempt(writer, hold, "UPDATE stela_audit.retention_policies SET retention_days = 30 WHERE tenant_id = 'org_hold'")).toBeNull();
    expect(await attempt(superuser, hold, "UPDATE stela_audit.retention_policies SET legal_hold = false WHERE tenant_id = 'org_hold'")).toBeNull();
  });

  it('erases a person through the definer function, and only their disclosures', async () => {
    await writer.query('BEGIN');
    const { rows } = await writer.query("SELECT fields, entries FROM stela_audit.erase_subject('org_guard', 'user', 'u_2')");
    const left = await writer.query("SELECT count(*)::int AS n FROM stela_audit.disclosures WHERE tenant_id = 'org_guard' AND subject_id = 'u_2'");
    const others = await writer.query("SELECT count(*)::int AS n FROM stela_audit.disclosures WHERE tenant_id = 'org_guard' AND subject_id <> 'u_2'");
    await writer.query('ROLLBACK');
    expect(Number(rows[0].fields)).toBeGreaterThan(0);
    expect(Number(rows[0].entries)).toBe(4);
    expect(left.rows[0].n).toBe(0);
    expect(others.rows[0].n).toBeGreaterThan(0);
  });

  it('cannot reach the delete scope the definer functions use', async () => {
    const scope = ["SELECT set_config('stela_audit.prune_tenant', 'org_guard', true)", "SELECT set_config('stela_audit.prune_through', '100', true)"];
    expect(await attempt(writer, ...scope, CHANGES.DELETE)).toMatchObject({ code: '42501' });
    // Even if someone granted the writer DELETE by mistake, the scope alone does not open the guard:
    // it also needs the owner's privileges, which the writer has only inside the definer functions.
    expect(await attempt(superuser, 'GRANT DELETE ON stela_audit.entries TO stela_audit_writer', 'SET LOCAL ROLE stela_audit_writer', ...scope, CHANGES.DELETE)).toMatchObject({
      code: 'SA001',
      message: 'stela_audit.entries is append-only: DELETE is not allowed',
    });
    expect(await attempt(writer, 'SELECT stela_audit.guard_entries()')).toMatchObject({ code: '42501' });
  });

  it('prunes only through stela_audit.prune(), which checks the chain head and the legal hold', async () => {
    const head = (await writer.query("SELECT encode(hash, 'hex') AS h FROM stela_audit.entries WHERE tenant_id = 'org_guard' AND seq = 2")).rows[0].h;
    const range = "decode(repeat('ab', 32), 'hex')";
    expect(await attempt(writer, `SELECT stela_audit.prune('org_guard', 2, decode(repeat('cd', 32), 'hex'), ${range})`)).toMatchObject({
      code: 'SA003',
      message: expect.stringMatching(/not the hash of entry 2/),
    });
    expect(await attempt(writer, `SELECT stela_audit.prune('org_guard', 2, decode('${head}', 'hex'), decode(repeat('ab', 64), 'hex'))`)).toMatchObject({ code: 'SA003' });
    expect(await attempt(writer, `SELECT stela_audit.prune('org_guard', 99, decode('${head}', 'hex'), ${range})`)).toMatchObject({ code: 'SA003' });
    expect(
      await attempt(writer, "INSERT INTO stela_audit.retention_policies (tenant_id, legal_hold) VALUES ('org_guard', true)", `SELECT stela_audit.prune('org_guard', 2, decode('${head}', 'hex'), ${range})`),
    ).toMatchObject({ code: 'SA002', message: expect.stringMatching(/legal hold/) });
    // and through the store, bypassing the audit log's own check, the error keeps its code
    const store = createPostgresStore({ client: writer });
    await writer.query('BEGIN');
    try {
      await writer.query("INSERT INTO stela_audit.retention_policies (tenant_id, legal_hold) VALUES ('org_guard', true)");
      await expect(
        store.withTenantLock('org_guard', writer, (locked) => locked.prune({ size: 2, chainHead: head, compactRange: { size: 2, nodes: [new Uint8Array(32)] } })),
      ).rejects.toMatchObject({ code: 'ERR_AUDIT_LEGAL_HOLD' });
    } finally {
      await writer.query('ROLLBACK');
    }
    await writer.query('BEGIN');
    try {
      const { rows } = await writer.query(`SELECT stela_audit.prune('org_guard', 2, decode('${head}', 'hex'), ${range}) AS deleted`);
      expect(Number(rows[0].deleted)).toBe(2);
      const left = await writer.query("SELECT min(seq)::int AS first, (SELECT count(*)::int FROM stela_audit.disclosures WHERE tenant_id = 'org_guard' AND seq <= 2) AS d FROM stela_audit.entries WHERE tenant_id = 'org_guard'");
      expect(left.rows[0]).toEqual({ first: 3, d: 0 });
      // the scope the function opened closed with it
      expect((await writer.query("SELECT current_setting('stela_audit.prune_tenant', true) AS s")).rows[0].s).toBe('');
    } finally {
      await writer.query('ROLLBACK');
    }
  });
});

/**
 * Runs `steps` (SQL, or functions that use `client`) in a transaction and COMMITs it; returns
 * the error, or null if it committed.
 */
async function commit(client: pg.Client, ...steps: (string | (() => Promise<unknown>))[]): Promise<unknown> {
  await client.query('BEGIN');
  try {
    for (const step of steps) await (typeof step === 'string' ? client.query(step) : step());
  } catch (e) {
    await client.query('ROLLBACK');
    return e;
  }
  // A COMMIT that a deferred check refuses rolls the transaction back.
  return client.query('COMMIT').then(() => null, (e: unknown) => e);
}

describe('every removal is recorded in the chain (migration 002)', () => {
  const count = async (sql: string) => Number((await writer.query(sql)).rows[0].n);
  const entriesLeft = () => count("SELECT count(*) AS n FROM stela_audit.entries WHERE tenant_id = 'org_guard'");
  const u2Fields = () => count("SELECT count(*) AS n FROM stela_audit.disclosures WHERE tenant_id = 'org_guard' AND subject_id = 'u_2'");

  it('refuses a bare prune() at COMMIT, and nothing is removed', async () => {
    const head = (await writer.query("SELECT encode(hash, 'hex') AS h FROM stela_audit.entries WHERE tenant_id = 'org_guard' AND seq = 2")).rows[0].h;
    const before = await entriesLeft();
    expect(await commit(writer, `SELECT stela_audit.prune('org_guard', 2, decode('${head}', 'hex'), decode(repeat('ab', 32), 'hex'))`)).toMatchObject({
      code: 'SA004',
      message: 'tenant org_guard was pruned through seq 2 without a retention.pruned entry recording it',
      hint: expect.stringMatching(/applyRetention/),
    });
    expect(await entriesLeft()).toBe(before);
    // Through the store, in its own transaction, the refusal has the guard's error code.
    await expect(
      createPostgresStore({ pool }).withTenantLock('org_guard', undefined, (locked) => locked.prune({ size: 2, chainHead: head, compactRange: { size: 2, nodes: [new Uint8Array(32)] } })),
    ).rejects.toMatchObject({ code: 'ERR_AUDIT_APPEND_ONLY', message: expect.stringMatching(/without a retention\.pruned entry recording it/) });
    expect(await entriesLeft()).toBe(before);
  });

  it('refuses a bare erase_subject() at COMMIT, and the person\'s fields stay', async () => {
    const before = await u2Fields();
    expect(before).toBeGreaterThan(0);
    expect(await commit(writer, "SELECT * FROM stela_audit.erase_subject('org_guard', 'user', 'u_2')")).toMatchObject({
      code: 'SA004',
      message: expect.stringMatching(/^the personal data of user u_2 in tenant org_guard \(\d+ fields\) was erased without a privacy\.erasure entry recording it$/),
    });
    expect(await u2Fields()).toBe(before);
  });

  it('does not count an entry that names another person, or another prefix', async () => {
    const head = (await writer.query("SELECT encode(hash, 'hex') AS h FROM stela_audit.entries WHERE tenant_id = 'org_guard' AND seq = 2")).rows[0].h;
    const prunedOther = await commit(writer, `SELECT stela_audit.prune('org_guard', 2, decode('${head}', 'hex'), decode(repeat('ab', 32), 'hex'))`, async () => {
      await log.append({ tenant: 'org_guard', action: 'retention.pruned', outcome: 'success', actor: { type: 'system', id: 'stela-audit' }, metadata: { pruned_through_seq: 3 } }, { tx: writer });
    });
    expect(prunedOther).toMatchObject({ code: 'SA004' });
    const before = await u2Fields();
    const error = await commit(writer, async () => {
      const { rows } = await writer.query("SELECT fields FROM stela_audit.erase_subject('org_guard', 'user', 'u_2')");
      await log.append(
        { tenant: 'org_guard', action: 'privacy.erasure', outcome: 'success', actor: { type: 'system', id: 'stela-audit' }, target: { type: 'user', id: 'u_1' }, metadata: { fields_erased: Number(rows[0].fields), entries_affected: 4 } },
        { tx: writer },
      );
    });
    expect(error).toMatchObject({ code: 'SA004' });
    expect(await u2Fields()).toBe(before);
  });

  it('does not count a record that failed, or whose count is not a number', async () => {
    const before = await u2Fields();
    for (const [outcome, fieldsErased] of [['denied', 'n'], ['success', 's']] as const) {
      const error = await commit(writer, async () => {
        const { rows } = await writer.query("SELECT fields FROM stela_audit.erase_subject('org_guard', 'user', 'u_2')");
        const n = Number(rows[0].fields);
        await log.append(
          { tenant: 'org_guard', action: 'privacy.erasure', outcome, actor: { type: 'system', id: 'stela-audit' }, target: { type: 'user', id: 'u_2' }, metadata: { fields_erased: fieldsErased === 'n' ? n : String(n) } },
          { tx: writer },
        );
      });
      expect(error, `${outcome}, ${fieldsErased}`).toMatchObject({ code: 'SA004' });
    }
    expect(await u2Fields()).toBe(before);
  });

  it('refuses a prune that would delete the record of an earlier removal in the same transaction', async () => {
    const before = await u2Fields();
    const error = await commit(writer, async () => {
      const erased = await log.erase('org_guard', { type: 'user', id: 'u_2' }, { tx: writer });
      // Check the erasure now, while its record exists, then try to prune the record away.
      await writer.query('SET CONSTRAINTS ALL IMMEDIATE');
      const { rows: [{ h }] } = await writer.query(`SELECT encode(hash, 'hex') AS h FROM stela_audit.entries WHERE tenant_id = 'org_guard' AND seq = ${erased.record.seq}`);
      const nodes = erased.record.seq.toString(2).replace(/0/g, '').length;
      await writer.query(`SELECT stela_audit.prune('org_guard', ${erased.record.seq}, decode('${h}', 'hex'), decode(repeat('ab', ${32 * nodes}), 'hex'))`);
    });
    expect(error).toMatchObject({ code: 'SA004', message: expect.stringMatching(/an earlier removal in this transaction, at head \d+, would lose the entry recording it/) });
    expect(await u2Fields()).toBe(before);
  });

  it('does not count an entry past the head, which no export or checkpoint would show', async () => {
    const before = await u2Fields();
    const { rows: [head] } = await writer.query("SELECT size::int, encode(chain_head, 'hex') AS chain_head FROM stela_audit.heads WHERE tenant_id = 'org_guard'");
    const error = await commit(writer, async () => {
      const { rows } = await writer.query("SELECT fields FROM stela_audit.erase_subject('org_guard', 'user', 'u_2')");
      // A row at the next seq that names the erasure exactly, inserted without moving the head
      // (the last parameters NULL, as for the parts of a large batch).
      const entry = {
        seq: head.size + 1, prev_hash: head.chain_head, hash: 'ab'.repeat(32), occurred_at: '2026-01-01T00:00:00.000Z', recorded_at: '2026-01-01T00:00:00.000Z',
        action: 'privacy.erasure', outcome: 'success', actor_type: 'system', actor_id: 'stela-audit', target_type: 'user', target_id: 'u_2',
        metadata: JSON.stringify({ fields_erased: Number(rows[0].fields), entries_affected: 4 }), commitments: '{}',
      };
      const [{ ok }] = (await writer.query("SELECT ok FROM stela_audit.append_entries('org_guard', $1, decode($2, 'hex'), $3, '[]', NULL, NULL, NULL, NULL)", [head.size, head.chain_head, JSON.stringify([entry])])).rows;
      expect(ok).toBe(true);
    });
    expect(error).toMatchObject({ code: 'SA004' });
    expect(await u2Fields()).toBe(before);
  });

  it('accepts a record written by hand when it names the removal exactly (the control for the refusals above)', async () => {
    await log.appendMany(Array.from({ length: 4 }, (_, i) => sampleEntry(i, 'org_control')));
    const error = await commit(writer, async () => {
      const { rows } = await writer.query("SELECT fields, entries FROM stela_audit.erase_subject('org_control', 'user', 'u_2')");
      await log.append(
        { tenant: 'org_control', action: 'privacy.erasure', outcome: 'success', actor: { type: 'system', id: 'stela-audit' }, target: { type: 'user', id: 'u_2' }, metadata: { fields_erased: Number(rows[0].fields), entries_affected: Number(rows[0].entries) } },
        { tx: writer },
      );
    });
    expect(error).toBeNull();
    expect(await count("SELECT count(*) AS n FROM stela_audit.disclosures WHERE tenant_id = 'org_control' AND subject_id = 'u_2'")).toBe(0);
  });

  it('still lets erase() through when the writer planted a disclosure that no entry has', async () => {
    await log.appendMany(Array.from({ length: 4 }, (_, i) => sampleEntry(i, 'org_orphan')));
    await writer.query(`INSERT INTO stela_audit.disclosures (tenant_id, seq, subject_type, subject_id, fields) VALUES ('org_orphan', 999, 'user', 'u_1', '{"junk":{"salt":"s","value":"v"}}')`);
    const result = await log.erase('org_orphan', { type: 'user', id: 'u_1' });
    const { rows } = await writer.query("SELECT fields::int FROM stela_audit.removals WHERE tenant_id = 'org_orphan'");
    expect(rows).toEqual([{ fields: result.fields }]);
  });

  it('lets erase() through, and keeps a row saying what went', async () => {
    const result = await log.erase('org_guard', { type: 'user', id: 'u_1' }, { actor: { type: 'user', id: 'u_admin' } });
    expect(result.fields).toBeGreaterThan(0);
    const { rows } = await writer.query("SELECT kind, head_size::int, subject_type, subject_id, fields::int FROM stela_audit.removals WHERE tenant_id = 'org_guard' AND subject_id = 'u_1'");
    expect(rows).toEqual([{ kind: 'erasure', head_size: result.record.seq - 1, subject_type: 'user', subject_id: 'u_1', fields: result.fields }]);
  });
});

describe('a superuser in replica mode', () => {
  it('the guard triggers are ENABLE ALWAYS', async () => {
    const { rows } = await superuser.query(
      "SELECT c.relname, t.tgname, t.tgenabled FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'stela_audit' AND NOT t.tgisinternal ORDER BY 1, 2",
    );
    expect(rows.length).toBe(16);
    expect(rows.every((r) => r.tgenabled === 'A')).toBe(true);
  });

  it.each(Object.entries(CHANGES))('still cannot %s audit entries', async (op, sql) => {
    const e = await attempt(superuser, 'SET LOCAL session_replication_role = replica', sql);
    expect(e).toMatchObject({ code: 'SA001', message: `stela_audit.entries is append-only: ${op} is not allowed` });
  });

  it('still cannot change checkpoints or disclosures', async () => {
    for (const [sql, table, op] of [
      ["UPDATE stela_audit.checkpoints SET note = 'x'", 'checkpoints', 'UPDATE'],
      ['DELETE FROM stela_audit.checkpoints', 'checkpoints', 'DELETE'],
      ['TRUNCATE stela_audit.checkpoints', 'checkpoints', 'TRUNCATE'],
      ["UPDATE stela_audit.disclosures SET fields = '{}'", 'disclosures', 'UPDATE'],
      ['DELETE FROM stela_audit.disclosures', 'disclosures', 'DELETE'],
      ['TRUNCATE stela_audit.removals', 'removals', 'TRUNCATE'],
    ] as const) {
      expect(await attempt(superuser, 'SET LOCAL session_replication_role = replica', sql), sql).toMatchObject({
        code: 'SA001',
        message: `stela_audit.${table} is append-only: ${op} is not allowed`,
      });
    }
  });

  it('can still disable the triggers: that is what signed checkpoints catch', async () => {
    const e = await attempt(superuser, 'ALTER TABLE stela_audit.entries DISABLE TRIGGER append_only', CHANGES.UPDATE);
    expect(e).toBeNull();
    // (rolled back) the export of a rewritten row fails verification against the signed checkpoint
    await superuser.query('BEGIN');
    try {
      await superuser.query('ALTER TABLE stela_audit.entries DISABLE TRIGGER append_only');
      await superuser.query(CHANGES.UPDATE);
      const store = createPostgresStore({ client: superuser });
      // The export reuses the checkpoint signed before the rewrite (no new one is issued: the size is unchanged).
      const forged = createAuditLog({ store, signer, logName: 'audit.acme.example' });
      const csv = await readAll(forged.exportCsv('org_guard', { toSeq: 12 }));
      expect(await verifyExport(csv, { keys: jwks })).toMatchObject({ ok: false, code: 'ERR_AUDIT_HASH_MISMATCH', failure: { seq: 3 } });
    } finally {
      await superuser.query('ROLLBACK');
    }
  });
});

describe('concurrency on a real server', () => {
  it('8 writers × 50 transactions on one tenant make one gapless chain with no forks', async () => {
    const tenant = 'org_race';
    const writers = Array.from({ length: 8 }, async (_, w) => {
      const client = await pool.connect();
      try {
        for (let i = 0; i < 50; i++) {
          await client.query('BEGIN');
          await log.append(sampleEntry(w * 50 + i, tenant), { tx: client });
          await client.query('COMMIT');
        }
      } finally {
        client.release();
      }
    });
    await Promise.all(writers);
    const { rows } = await superuser.query(
      "SELECT seq::int AS seq, encode(prev_hash, 'hex') AS prev, encode(hash, 'hex') AS hash FROM stela_audit.entries WHERE tenant_id = $1 ORDER BY seq",
      [tenant],
    );
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
    expect(rows[0].prev).toBe('0'.repeat(64));
    for (let i = 1; i < rows.length; i++) expect(rows[i].prev).toBe(rows[i - 1].hash);
    expect(new Set(rows.map((r) => r.hash)).size).toBe(400);
    const report = await verifyExport(await readAll(log.exportCsv(tenant)), { keys: jwks });
    expect(report).toMatchObject({ ok: true, rows: 400, firstSeq: 1, lastSeq: 400 });
  });

  it('entries and leafHashes page through the log instead of loading it', async () => {
    await log.appendMany(Array.from({ length: 1_000 }, (_, i) => sampleEntry(i, 'org_pages')));
    const sizes: number[] = [];
    const counting: PostgresQueryable = {
      async query(text, values) {
        const result = await pool.query(text, values);
        if (/FROM stela_audit\.entries/.test(text)) sizes.push(result.rows.length);
        return result;
      },
    };
    const store = createPostgresStore({ client: counting, pageSize: 25 });
    let n = 0;
    for await (const e of store.entries('org_pages', 1, 1_000)) expect(e.record.seq).toBe(++n);
    expect(n).toBe(1_000);
    // one statement per page of 25 entries; no query returns the whole log
    expect(sizes).toEqual(Array(40).fill(25));
    sizes.length = 0;
    let leaves = 0;
    for await (const _ of store.leafHashes('org_pages', 1, 1_000)) leaves++;
    expect(leaves).toBe(1_000);
    // leaf hashes are 32 bytes a row: pages twenty times as large
    expect(sizes).toEqual([500, 500]);
  });

  it('a single pg.Client queues the store’s own transactions', async () => {
    const client = new pg.Client({ connectionString: url, options: WRITER });
    await client.connect();
    try {
      const single = createAuditLog({ store: createPostgresStore({ client }), logName: 'audit.acme.example', now: fakeClock(), randomBytes: fakeRandom() });
      const records = await Promise.all(Array.from({ length: 20 }, (_, i) => single.append(sampleEntry(i, 'org_single'))));
      expect(records.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    } finally {
      await client.end();
    }
  });
});
