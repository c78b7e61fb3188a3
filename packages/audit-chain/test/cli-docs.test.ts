import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { HELP } from '../src/cli/main.js';
import { CHECKPOINT_HELP } from '../src/cli/checkpoint.js';
import { INSPECT_HELP } from '../src/cli/inspect.js';
import { KEYGEN_HELP } from '../src/cli/keygen.js';
import { SAMPLE_HELP } from '../src/cli/sample.js';
import { VERIFY_HELP } from '../src/cli/verify.js';
import { exitCodeForCode } from '../src/cli/io.js';
import { AUDIT_ERROR_CODES, type AuditErrorCode } from '../src/errors.js';

// docs/audit-chain/cli.md quotes the help texts and lists the codes; these tests keep it honest.
const doc = await readFile(new URL('../../../docs/audit-chain/cli.md', import.meta.url), 'utf8');

describe('docs/audit-chain/cli.md', () => {
  it.each(Object.entries({ HELP, KEYGEN_HELP, SAMPLE_HELP, VERIFY_HELP, INSPECT_HELP, CHECKPOINT_HELP }))('quotes %s verbatim', (_name, help) => {
    expect(doc).toContain('```text\n' + help.trimEnd() + '\n```');
  });

  it('lists every verification and format code with its exit code', () => {
    const rows = [...doc.matchAll(/^\| `(ERR_AUDIT_[A-Z_]+)` \| ([12]) \|/gm)].map((m) => [m[1] as AuditErrorCode, Number(m[2])] as const);
    const listed = new Map(rows);
    const cliCodes = AUDIT_ERROR_CODES.slice(0, AUDIT_ERROR_CODES.indexOf('ERR_AUDIT_USAGE') + 1);
    for (const code of [...cliCodes, 'ERR_AUDIT_SIGNER'] as const) {
      expect(listed.get(code), code).toBe(exitCodeForCode(code));
    }
    for (const [code] of rows) expect(AUDIT_ERROR_CODES).toContain(code);
  });
});
