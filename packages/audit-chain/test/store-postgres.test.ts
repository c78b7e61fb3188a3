import pg from 'pg';
import { createPostgresStore, migrate, type PostgresQueryable } from '../src/store/postgres.js';
import { describeStoreConformance } from './store-conformance.js';

const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

// A fresh database per run, so parallel runs never collide and nothing is left behind.
describeStoreConformance<PostgresQueryable>('postgres store on a real server (node-postgres Pool)', async () => {
  const name = `stela_audit_conf_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = '/' + name;
  const owner = new pg.Pool({ connectionString: url.href, max: 1 });
  await migrate({ pool: owner });
  await owner.end();
  // Connect as the application role, so the suite also proves the writer's grants are enough.
  const pool = new pg.Pool({ connectionString: url.href, options: '-c role=stela_audit_writer', max: 10 });
  return {
    store: createPostgresStore({ pool, pageSize: 7, insertBatch: 500 }),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const out = await fn(client);
        await client.query('COMMIT');
        return out;
      } catch (e) {
        await client.query('ROLLBACK');
        throw e;
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
      await dropDatabase(admin, name);
      await admin.end();
    },
  };
});

/** Drops a scratch database once the pool's connections have really closed (`pool.end()` resolves a little earlier). */
async function dropDatabase(admin: pg.Client, name: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      return;
    } catch (e) {
      if ((e as { code?: string }).code !== '55006' || attempt > 100) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
