import pg from 'pg';
import { createPostgresStore, migrate, type PostgresQueryable } from '../src/store/postgres.js';
import { describeStoreConformance, type StoreHarness } from './store-conformance.js';

const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
// Connect as the application role, so the suite also proves the writer's grants are enough.
const WRITER = '-c role=stela_audit_writer';

/** A fresh database per suite, so parallel runs never collide and nothing is left behind. */
async function scratchDatabase(label: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `stela_audit_${label}_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect().catch((e: unknown) => {
    throw new Error(`these tests need a Postgres server at ${ADMIN_URL} (set DATABASE_URL, or start one: pg_ctlcluster --skip-systemctl-redirect <version> main start)`, { cause: e });
  });
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = '/' + name;
  const owner = new pg.Client({ connectionString: url.href });
  await owner.connect();
  await migrate({ client: owner });
  await owner.end();
  return {
    url: url.href,
    async drop() {
      // `end()` resolves a little before the server has closed the sessions.
      for (let attempt = 0; ; attempt++) {
        try {
          await admin.query(`DROP DATABASE IF EXISTS ${name}`);
          break;
        } catch (e) {
          if ((e as { code?: string }).code !== '55006' || attempt > 100) throw e;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      await admin.end();
    },
  };
}

/** The caller's side of a transaction on one connection. */
async function inTransaction<T>(client: pg.ClientBase, fn: (tx: PostgresQueryable) => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const out = await fn(client);
    await client.query('COMMIT');
    return out;
  } catch (e) {
    await client.query('ROLLBACK');
    throw e;
  }
}

describeStoreConformance<PostgresQueryable>('postgres store on a real server (pg.Pool)', { callerTransactions: true, databaseEnforcedAppendOnly: true }, async (): Promise<StoreHarness<PostgresQueryable>> => {
  const db = await scratchDatabase('pool');
  const pool = new pg.Pool({ connectionString: db.url, options: WRITER, max: 10 });
  const ownerPool = new pg.Pool({ connectionString: db.url, max: 2 });
  return {
    // Small pages so the suite crosses page boundaries, and parts of three entries so every
    // appendMany of more than three is sealed and sent in parts.
    store: createPostgresStore({ pool, pageSize: 7, insertBatch: 3 }),
    another: () => createPostgresStore({ pool }),
    owner: () => createPostgresStore({ pool: ownerPool }),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        return await inTransaction(client, fn);
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
      await ownerPool.end();
      await db.drop();
    },
  };
});

describeStoreConformance<PostgresQueryable>('postgres store on a real server (one pg.Client)', { callerTransactions: true, databaseEnforcedAppendOnly: true }, async (): Promise<StoreHarness<PostgresQueryable>> => {
  const db = await scratchDatabase('client');
  const client = new pg.Client({ connectionString: db.url, options: WRITER });
  await client.connect();
  const ownerClient = new pg.Client({ connectionString: db.url });
  await ownerClient.connect();
  return {
    // Without the head cache or prepared statements: every append locks and reads the head
    // first, and every statement is parsed afresh (as behind PgBouncer in transaction mode).
    store: createPostgresStore({ client, pageSize: 7, insertBatch: 500, headCache: 0, preparedStatements: false }),
    another: () => createPostgresStore({ client }),
    owner: () => createPostgresStore({ client: ownerClient }),
    transaction: (fn) => inTransaction(client, fn),
    async close() {
      await client.end();
      await ownerClient.end();
      await db.drop();
    },
  };
});
