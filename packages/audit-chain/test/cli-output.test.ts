// Locks the CLI's user-facing text with inline snapshots. Everything that varies between runs is
// fixed: the key (RFC 8032 §7.1 TEST 1, from the vectors), the sample seed and clock, the timing.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { createLocalSigner, verifyExport } from '../src/index.js';
import { formatVerifyReport } from '../src/cli/report-text.js';
import { main } from '../src/cli/main.js';
import { sampleExport } from '../src/sample.js';
import { readAll } from './helpers.js';

const vectors = JSON.parse(await readFile(new URL('./vectors/checkpoint.json', import.meta.url), 'utf8'));
const signer = await createLocalSigner(vectors.private_jwk);
const keys = vectors.public_jwks;
const csv = await readAll(sampleExport({ rows: 300, signer, seed: 'snapshot', now: () => new Date('2026-02-01T00:00:00.000Z') }));
const ctx = { file: 'export.csv', elapsedMs: 250, keysFile: 'audit-keys.json' };

async function stderrOf(...argv: string[]) {
  let err = '';
  await main(argv, { stdout: { write: () => true }, stderr: { write: (s: string) => (err += s) } });
  return err;
}

describe('verify output', () => {
  it('on success', async () => {
    const report = await verifyExport(csv, { keys });
    expect(formatVerifyReport(report, ctx).replace(/ {2}file .*\n/, '  file                (size and timing vary)\n')).toMatchInlineSnapshot(`
      "VERIFIED  export.csv
        entries             300, seq 1–300
        log                 audit.skillhub.example/org_acme (tenant org_acme)
        checkpoint          size 300, issued 2026-02-01T00:00:00.000Z
        signed by key       kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k (trusted: from --keys audit-keys.json)
        erased fields       37 (personal data erased on request; the chain still verifies)
        file                (size and timing vary)
        warnings            none

      What this proves: every row is unaltered; no row in seq 1–300 is missing, reordered or
      duplicated; and the rows are a prefix of the log that the key holder signed at size 300.
      What this does not prove: that the vendor logged every event, truthfully, when it happened;
      anything about entries outside seq 1–300; who signed, unless audit-keys.json came from a source
      you trust (e.g. the vendor's trust center); and that the vendor has shown everyone the same
      history (compare checkpoints with others to catch a split view).
      "
    `);
  });

  it('on a tampered cell', async () => {
    const tampered = csv.replace(/(\r\nentry,42,(?:[^,]*,){3})skill\.\w+/, '$1skill.deleted');
    expect(tampered).not.toBe(csv);
    const report = await verifyExport(tampered, { keys });
    expect(formatVerifyReport(report, ctx).replace(/ {2}read .*\n/, '  read                (size varies)\n')).toMatchInlineSnapshot(`
      "FAILED    export.csv
        first failure       row 44 (seq 42)
        reason              ERR_AUDIT_HASH_MISMATCH: the row's content does not match its hash (a cell was changed)
        checked             41 entries passed before the failure
        log                 audit.skillhub.example/org_acme (tenant org_acme)
        read                (size varies)
        warnings            none

      What this proves: this file is not what the key holder signed; the first difference is at row 44
      (seq 42). Do not rely on its contents.
      What this does not prove: who changed it or when (in transit, on your disk, or at the vendor),
      or whether later rows changed too: verification stops at the first failure.
      "
    `);
  });
});

describe('error lines', () => {
  it('unknown option', async () => {
    expect(await stderrOf('verify', 'x.csv', '--frob')).toMatchInlineSnapshot(`
      "stela-audit: ERR_AUDIT_USAGE: unknown option --frob
        hint: run: stela-audit verify --help
      "
    `);
  });
  it('missing file', async () => {
    expect(await stderrOf('inspect', '/nonexistent/export.csv')).toMatchInlineSnapshot(`
      "stela-audit: ERR_AUDIT_USAGE: cannot read /nonexistent/export.csv: no such file
      "
    `);
  });
  it('trusted checkpoint without keys', async () => {
    expect(await stderrOf('verify', 'x.csv', '--trusted-checkpoint', 'cp.jws')).toMatchInlineSnapshot(`
      "stela-audit: ERR_AUDIT_USAGE: --trusted-checkpoint needs --keys too, so that the export cannot vouch for itself
        hint: pass the vendor's audit-keys.json with --keys.
      "
    `);
  });
});
