// SPEC.md must be enough to write a verifier: examples/verify_chain.py was written from it alone
// (standard-library Python), and must agree with ours on every export we produce.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeLog, readAll } from './helpers.js';

const script = new URL('../examples/verify_chain.py', import.meta.url).pathname;
const python = (file: string) => spawnSync('python3', [script, file], { encoding: 'utf8' });
const vectors = (name: string) => new URL(`./vectors/exports/${name}`, import.meta.url).pathname;

describe('independent Python checker (examples/verify_chain.py)', () => {
  it('accepts the golden exports and rejects a tampered one', () => {
    for (const f of ['valid.csv', 'valid-bom.csv', 'range-2-4.csv']) {
      const r = python(vectors(f));
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/chain and hashes OK/);
    }
    const bad = python(vectors('edited-cell.csv'));
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/seq 4: chain or hash mismatch/);
  });

  it('computes the same root as the signed checkpoint for fresh full and range exports', async () => {
    const { log } = await makeLog({ entries: 37 });
    await log.erase('org_1', { type: 'user', id: 'u_0' });
    const dir = mkdtempSync(join(tmpdir(), 'stela-py-'));
    for (const [name, opts] of [['full', {}], ['range', { fromSeq: 9, toSeq: 38 }]] as const) {
      const file = join(dir, `${name}.csv`);
      writeFileSync(file, await readAll(log.exportCsv('org_1', opts)));
      const r = python(file);
      expect(r.status, r.stderr).toBe(0);
      const root = (await log.latestCheckpoint('org_1'))!.checkpoint.root;
      expect(r.stdout).toContain(root);
    }
  });
});
