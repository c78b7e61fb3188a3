import { PGlite } from '@electric-sql/pglite';
import { describe, expect, it } from 'vitest';
import { createPostgresStore, migrate, type PostgresQueryable } from '../src/store/postgres.js';
import { describeStoreConformance } from './store-conformance.js';

// PGlite is one embedded connection: the conformance suite's concurrent appends run one after
// another here, so the real concurrency test lives in postgres-append-only.test.ts.
describeStoreConformance<PostgresQueryable>('postgres store on PGlite', { callerTransactions: true, databaseEnforcedAppendOnly: true }, async () => {
  const db = await PGlite.create();
  await migrate({ pglite: db });
  // Work as the application role, so the suite also proves the writer's grants are enough.
  await db.exec('SET ROLE stela_audit_writer');
  return {
    // Small pages and parts, so the suite crosses page and part boundaries.
    store: createPostgresStore({ pglite: db, pageSize: 7, insertBatch: 3 }),
    another: () => createPostgresStore({ pglite: db }),
    // One connection, working as the writer: the owner's store switches role per transaction
    // (allowed because the session user is the superuser that owns the tables).
    owner: () =>
      createPostgresStore({
        pglite: {
          query: (text, values) => db.query(text, values),
          exec: (sql) => db.exec(sql),
          transaction: (fn) =>
            db.transaction(async (tx) => {
              await tx.exec('SET LOCAL ROLE postgres');
              return fn(tx);
            }),
        },
      }),
    transaction: (fn) => db.transaction(fn),
    close: () => db.close(),
  };
});

describe('createPostgresStore options', () => {
  it.each([
    ['headCache', -1],
    ['headCache', 1.5],
    ['insertBatch', 0],
    ['pageSize', Number.NaN],
  ])('refuses %s = %s with ERR_AUDIT_STORE', async (option, value) => {
    const db = await PGlite.create();
    try {
      expect(() => createPostgresStore({ pglite: db, [option]: value })).toThrow(expect.objectContaining({ code: 'ERR_AUDIT_STORE', message: expect.stringContaining(option) }));
    } finally {
      await db.close();
    }
  });
});
