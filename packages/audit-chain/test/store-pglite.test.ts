import { PGlite } from '@electric-sql/pglite';
import { describe, expect, it } from 'vitest';
import { createAuditLog } from '../src/index.js';
import { createPostgresStore, migrate, type PostgresQueryable } from '../src/store/postgres.js';
import { fakeClock, fakeRandom, sampleEntry } from './helpers.js';
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

describe('migration 002 on PGlite', () => {
  it('refuses an erasure without its privacy.erasure entry at COMMIT, and lets erase() through', async () => {
    const db = await PGlite.create();
    try {
      await migrate({ pglite: db });
      await db.exec('SET ROLE stela_audit_writer');
      const log = createAuditLog({ store: createPostgresStore({ pglite: db }), logName: 'audit.acme.example', now: fakeClock(), randomBytes: fakeRandom() });
      await log.appendMany(Array.from({ length: 6 }, (_, i) => sampleEntry(i, 'org_p')));
      const fields = async () => (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM stela_audit.disclosures WHERE subject_id = 'u_1'")).rows[0]!.n;
      const before = await fields();
      expect(before).toBeGreaterThan(0);
      await expect(db.transaction((tx) => tx.query("SELECT * FROM stela_audit.erase_subject('org_p', 'user', 'u_1')"))).rejects.toMatchObject({ code: 'SA004' });
      expect(await fields()).toBe(before);
      const erased = await log.erase('org_p', { type: 'user', id: 'u_1' });
      expect(erased.fields).toBeGreaterThan(0);
      expect(await fields()).toBe(0);
    } finally {
      await db.close();
    }
  });
});
