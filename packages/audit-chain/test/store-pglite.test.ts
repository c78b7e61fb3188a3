import { PGlite } from '@electric-sql/pglite';
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
    // Small pages so the suite crosses page boundaries.
    store: createPostgresStore({ pglite: db, pageSize: 7, insertBatch: 500 }),
    transaction: (fn) => db.transaction(fn),
    close: () => db.close(),
  };
});
