import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { describe, expect, it } from 'vitest';
import { POSTGRES_MIGRATIONS } from '../src/store/postgres-migrations.js';
import { migrate } from '../src/store/postgres.js';

// migrations/*.sql is the one source of truth. src/store/postgres-migrations.ts embeds it so
// `migrate()` runs without a file system (edge runtimes); it is generated from the SQL and this
// test keeps it honest. After editing the SQL, regenerate with `vitest run store-migrations -u`.
const dir = fileURLToPath(new URL('../migrations/', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();

function templateLiteral(text: string): string {
  return '`' + text.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`';
}

function generatedModule(): string {
  const entries = files.map((f) => `  {\n    version: ${JSON.stringify(f.replace(/\.sql$/, ''))},\n    sql: ${templateLiteral(readFileSync(dir + f, 'utf8'))},\n  },\n`);
  return [
    '// Generated from migrations/*.sql by test/store-migrations.test.ts. Do not edit: change the SQL',
    '// and run `pnpm exec vitest run --project audit-chain store-migrations -u`.',
    '',
    '/** The shipped SQL migrations in order, embedded so `migrate()` needs no file system. */',
    'export const POSTGRES_MIGRATIONS: readonly { readonly version: string; readonly sql: string }[] = [',
    ...entries,
    '];',
    '',
  ].join('\n');
}

describe('embedded migrations', () => {
  it('the module is generated from migrations/*.sql', async () => {
    await expect(generatedModule()).toMatchFileSnapshot('../src/store/postgres-migrations.ts');
  });

  it('embeds every .sql file byte for byte, in order', () => {
    expect(files.length).toBeGreaterThan(0);
    expect(POSTGRES_MIGRATIONS.map((m) => m.version + '.sql')).toEqual(files);
    for (const [i, f] of files.entries()) expect(POSTGRES_MIGRATIONS[i]!.sql).toBe(readFileSync(dir + f, 'utf8'));
  });
});

describe('migrations', () => {
  it('can run twice as plain SQL, and migrate() records and then skips them', async () => {
    const db = await PGlite.create();
    for (const m of POSTGRES_MIGRATIONS) {
      await db.exec(m.sql);
      await db.exec(m.sql);
    }
    const grants = await db.query<{ privilege_type: string }>(
      "SELECT privilege_type FROM information_schema.role_table_grants WHERE grantee = 'stela_audit_writer' AND table_schema = 'stela_audit' AND table_name = 'entries' ORDER BY 1",
    );
    expect(grants.rows.map((r) => r.privilege_type)).toEqual(['INSERT', 'SELECT']);
    expect(await migrate({ pglite: db })).toEqual({ applied: POSTGRES_MIGRATIONS.map((m) => m.version) });
    expect(await migrate({ pglite: db })).toEqual({ applied: [] });
    await db.close();
  });
});
