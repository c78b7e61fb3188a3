import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { POSTGRES_MIGRATIONS } from '../src/store/postgres-migrations.js';

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
