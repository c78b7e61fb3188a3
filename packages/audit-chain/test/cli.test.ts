import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { createProgress } from '../src/cli/progress.js';

interface Run {
  code: number;
  out: string;
  err: string;
}

async function run(...argv: string[]): Promise<Run> {
  let out = '';
  let err = '';
  const code = await main(argv, {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
  });
  return { code, out, err };
}

/** Asserts a failure: exit code, the `stela-audit: CODE:` line, and no stack trace anywhere. */
function expectFailure(r: Run, exit: 1 | 2, code: string) {
  expect(r.err, r.out + r.err).toContain(`stela-audit: ${code}: `);
  expect(r.code, r.err).toBe(exit);
  expect(r.err + r.out).not.toMatch(/\n\s+at /);
}

let dir: string;
let keys: string;
let priv: string;
let good: string;
let goodText: string;
const ROWS = 1500;

const path = (name: string) => join(dir, name);
async function variant(name: string, edit: (csv: string) => string | Uint8Array): Promise<string> {
  const p = path(name);
  await writeFile(p, edit(goodText));
  return p;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stela-audit-cli-'));
  const k = await run('keygen', '--out', path('keys'));
  expect(k.code, k.err).toBe(0);
  keys = path('keys/audit-keys.json');
  priv = path('keys/audit-key.private.jwk');
  good = path('good.csv');
  const s = await run('sample', '--rows', String(ROWS), '--key', priv, '--out', good, '--seed', 'cli');
  expect(s.code, s.err).toBe(0);
  goodText = await readFile(good, 'utf8');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('help and usage', () => {
  it.each(['keygen', 'sample', 'verify', 'inspect', 'checkpoint'])('%s --help', async (cmd) => {
    const r = await run(cmd, '--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Usage: stela-audit ${cmd}`);
    expect((await run('help', cmd)).out).toBe(r.out);
  });

  it('prints the command list', async () => {
    expect(await run('--help')).toMatchObject({ code: 0, out: expect.stringContaining('Commands:') });
    expect(await run()).toMatchObject({ code: 2, out: expect.stringContaining('Commands:') });
    expect((await run('--version')).out).toMatch(/^stela-audit \d+\.\d+\.\d+/);
  });

  it('rejects unknown commands, unknown flags and missing arguments', async () => {
    expectFailure(await run('frobnicate'), 2, 'ERR_AUDIT_USAGE');
    const flag = await run('verify', good, '--frob');
    expectFailure(flag, 2, 'ERR_AUDIT_USAGE');
    expect(flag.err).toContain('unknown option --frob');
    expect(flag.err).toContain('hint: run: stela-audit verify --help');
    expectFailure(await run('verify'), 2, 'ERR_AUDIT_USAGE');
    expectFailure(await run('verify', good, '--keys'), 2, 'ERR_AUDIT_USAGE');
    expectFailure(await run('verify', good, '--keys', '--json'), 2, 'ERR_AUDIT_USAGE');
    expectFailure(await run('verify', good, good), 2, 'ERR_AUDIT_USAGE');
    expectFailure(await run('sample', '--key', priv, '--out', path('x.csv')), 2, 'ERR_AUDIT_USAGE');
    expectFailure(await run('sample', '--rows', '12abc', '--key', priv, '--out', path('x.csv')), 2, 'ERR_AUDIT_USAGE');
    expectFailure(await run('sample', '--rows', '0', '--key', priv, '--out', path('x.csv')), 2, 'ERR_AUDIT_USAGE');
    expectFailure(await run('inspect'), 2, 'ERR_AUDIT_USAGE');
  });
});

describe('keygen', () => {
  it('writes a 0600 private JWK and a public JWKS, and prints kid and vkey', async () => {
    const out = path('kg');
    const r = await run('keygen', '--out', out, '--valid-from', '2026-01-01T00:00:00Z', '--origin', 'audit.acme.example/org_1');
    expect(r.code, r.err).toBe(0);
    expect((await stat(join(out, 'audit-key.private.jwk'))).mode & 0o777).toBe(0o600);
    const jwks = JSON.parse(await readFile(join(out, 'audit-keys.json'), 'utf8'));
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', valid_from: '2026-01-01T00:00:00.000Z' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
    expect(r.out).toContain(`kid   ${jwks.keys[0].kid}`);
    expect(r.out).toMatch(/vkey {2}audit\.acme\.example\/org_1\+[0-9a-f]{8}\+[A-Za-z0-9+/]+=*\n/);
  });

  it('refuses to overwrite without --force', async () => {
    const out = path('kg2');
    expect((await run('keygen', '--out', out)).code).toBe(0);
    const before = await readFile(join(out, 'audit-key.private.jwk'), 'utf8');
    const r = await run('keygen', '--out', out);
    expectFailure(r, 2, 'ERR_AUDIT_USAGE');
    expect(r.err).toContain('refusing to overwrite');
    expect(await readFile(join(out, 'audit-key.private.jwk'), 'utf8')).toBe(before);
    expect((await run('keygen', '--out', out, '--force')).code).toBe(0);
    expect(await readFile(join(out, 'audit-key.private.jwk'), 'utf8')).not.toBe(before);
    expect((await stat(join(out, 'audit-key.private.jwk'))).mode & 0o777).toBe(0o600);
  });

  it('rejects a bad --valid-from', async () => {
    expectFailure(await run('keygen', '--out', path('kg3'), '--valid-from', 'yesterday'), 2, 'ERR_AUDIT_USAGE');
  });
});

describe('sample', () => {
  it('is reproducible for a seed', async () => {
    const again = path('again.csv');
    expect((await run('sample', '--rows', '1,500', '--key', priv, '--out', again, '--seed', 'cli')).code).toBe(0);
    // same seed, same key: same bytes, including the (deterministic Ed25519) signatures
    expect(await readFile(again, 'utf8')).toBe(goodText);
    expect((await readdir(dir)).filter((f) => f.includes('.partial-'))).toEqual([]);
  });

  it('writes a BOM, a tenant and a log name when asked', async () => {
    const p = path('bom.csv');
    expect((await run('sample', '--rows', '20', '--key', priv, '--out', p, '--bom', '--tenant', 'org_globex', '--log-name', 'audit.vendor.example')).code).toBe(0);
    const r = await run('verify', p, '--keys', keys, '--json');
    expect(JSON.parse(r.out)).toMatchObject({ ok: true, bom: true, tenant: 'org_globex', origin: 'audit.vendor.example/org_globex', rows: 20 });
  });

  it('needs a private key, and a writable output', async () => {
    const r = await run('sample', '--rows', '5', '--key', keys, '--out', path('x.csv'));
    expectFailure(r, 2, 'ERR_AUDIT_SIGNER');
    expect(r.err).toContain('public key set');
    await writeFile(path('notjson.jwk'), 'not json');
    expectFailure(await run('sample', '--rows', '5', '--key', path('notjson.jwk'), '--out', path('x.csv')), 2, 'ERR_AUDIT_SIGNER');
    expectFailure(await run('sample', '--rows', '5', '--key', path('missing.jwk'), '--out', path('x.csv')), 2, 'ERR_AUDIT_USAGE');
    const w = await run('sample', '--rows', '5', '--key', priv, '--out', path('no/such/dir/x.csv'));
    expectFailure(w, 2, 'ERR_AUDIT_USAGE');
    expect(w.err).toContain('cannot write');
  });
});

describe('verify', () => {
  it('verifies a sample and explains what that proves', async () => {
    const r = await run('verify', good, '--keys', keys);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^VERIFIED {2}/);
    expect(r.out).toContain(`entries             1,500, seq 1–1,500`);
    expect(r.out).toContain('audit.skillhub.example/org_acme (tenant org_acme)');
    expect(r.out).toMatch(/checkpoint {10}size 1,500, issued 2026-/);
    expect(r.out).toContain('(trusted: from --keys');
    expect(r.out).toMatch(/erased fields {7}[1-9]/);
    expect(r.out).toContain('What this proves: every row is unaltered');
    expect(r.out).toContain('What this does not prove:');
    expect(r.out.trimEnd().split('\n').at(-1)).toMatch(/split view\)\.$/);
  });

  it('without --keys, verifies against the embedded key and says the key is not trusted', async () => {
    const r = await run('verify', good);
    expect(r.code).toBe(0);
    expect(r.out).toContain('NOT trusted');
    expect(r.out).toContain('no trusted keys were given');
  });

  it('reads standard input for -', async () => {
    let out = '';
    const bytes = await readFile(good);
    async function* stdin() {
      for (let i = 0; i < bytes.length; i += 65_536) yield bytes.subarray(i, i + 65_536);
    }
    const code = await main(['verify', '-', '--keys', keys], { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true }, stdin: stdin() });
    expect(code).toBe(0);
    expect(out).toMatch(/^VERIFIED {2}-\n/);
    expectFailure(await run('verify', '-'), 2, 'ERR_AUDIT_USAGE');
  });

  it('--json prints the report', async () => {
    const r = await run('verify', good, '--keys', keys, '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report).toMatchObject({ ok: true, code: null, rows: ROWS, firstSeq: 1, lastSeq: ROWS, checkpoint: { size: ROWS, keyTrusted: true } });
    expect(report.erasedFields).toBeGreaterThan(0);
  });

  it('keygen → sample → verify → tamper → verify fails at the edited row', async () => {
    const lines = goodText.split('\r\n');
    const i = lines.findIndex((l) => l.startsWith('entry,100,'));
    lines[i] = lines[i]!.replace(/,(success|failure|denied),/, (_m, o) => `,${o === 'success' ? 'denied' : 'success'},`);
    const p = path('tampered.csv');
    await writeFile(p, lines.join('\r\n'));
    const r = await run('verify', p, '--keys', keys);
    expectFailure(r, 1, 'ERR_AUDIT_HASH_MISMATCH');
    expect(r.err).toContain(`row ${i + 1} (seq 100)`);
    expect(r.out).toMatch(/^FAILED /);
    expect(r.out).toContain(`first failure       row ${i + 1} (seq 100)`);
    expect(r.out).toContain('What this proves: this file is not what the key holder signed');
    expect(r.out).toContain('What this does not prove:');
    const json = JSON.parse((await run('verify', p, '--keys', keys, '--json')).out);
    expect(json).toMatchObject({ ok: false, code: 'ERR_AUDIT_HASH_MISMATCH', failure: { row: i + 1, seq: 100 } });
  });

  it('detects a deleted row and a cut-off file', async () => {
    const gap = await variant('gap.csv', (t) => t.split('\r\n').filter((l) => !l.startsWith('entry,50,')).join('\r\n'));
    expectFailure(await run('verify', gap, '--keys', keys), 1, 'ERR_AUDIT_SEQ_GAP');
    const cut = await variant('cut.csv', (t) => t.split('\r\n').slice(0, 400).join('\r\n') + '\r\n');
    expectFailure(await run('verify', cut, '--keys', keys), 1, 'ERR_AUDIT_TRUNCATED');
  });

  it('a key that did not sign the export fails with exit 1', async () => {
    expect((await run('keygen', '--out', path('other'))).code).toBe(0);
    const r = await run('verify', good, '--keys', path('other/audit-keys.json'));
    expectFailure(r, 1, 'ERR_AUDIT_UNKNOWN_KEY');
    expect(r.out).toContain('was not signed by a key that');
  });

  it('a truncated checkpoint JWS fails with exit 1', async () => {
    const p = await variant('badjws.csv', (t) => t.replace(/(""jws"":""[^"]+)[A-Za-z0-9_-]{12}""/, '$1""'));
    expect(await readFile(p, 'utf8')).not.toBe(goodText);
    expectFailure(await run('verify', p, '--keys', keys), 1, 'ERR_AUDIT_SIGNATURE_INVALID');
  });

  describe('bad input: one clear line and exit 2', () => {
    it('a --workers that is not a whole number from 0 to 64', async () => {
      for (const bad of ['-1', '1.5', 'x', '65']) {
        const r = await run('verify', good, '--keys', keys, `--workers=${bad}`);
        expectFailure(r, 2, 'ERR_AUDIT_USAGE');
        expect(r.err).toContain('--workers must be a whole number from 0 to 64');
      }
    });

    it('missing file, directory, empty file', async () => {
      const missing = await run('verify', path('nope.csv'));
      expectFailure(missing, 2, 'ERR_AUDIT_USAGE');
      expect(missing.err).toContain('no such file');
      const d = await run('verify', dir);
      expectFailure(d, 2, 'ERR_AUDIT_USAGE');
      expect(d.err).toContain('directory');
      await writeFile(path('empty.csv'), '');
      expectFailure(await run('verify', path('empty.csv')), 2, 'ERR_AUDIT_EMPTY_FILE');
    });

    it('unreadable file', async () => {
      // Root (as in CI) reads a chmod-000 file anyway, so there the test reads /proc/self/mem,
      // which fails with EIO at offset 0: a file that exists and cannot be read.
      const asRoot = process.getuid?.() === 0;
      const file = asRoot ? '/proc/self/mem' : path('locked.csv');
      if (!asRoot) {
        await writeFile(file, goodText);
        await chmod(file, 0o000);
      }
      const r = await run('verify', file);
      expectFailure(r, 2, 'ERR_AUDIT_INPUT_UNREADABLE');
      expect(r.err).toMatch(asRoot ? /i\/o error/i : /permission denied/);
      expect(r.err).not.toMatch(/\n\s+at /);
    });

    it('non-UTF-8 bytes', async () => {
      const p = await variant('latin1.csv', (t) => {
        const bytes = new TextEncoder().encode(t);
        const at = new TextEncoder().encode(t.slice(0, t.indexOf('entry,7,'))).length + 20;
        bytes[at] = 0xff;
        return bytes;
      });
      expectFailure(await run('verify', p, '--keys', keys), 2, 'ERR_AUDIT_ENCODING');
    });

    it('a line over 1 MiB', async () => {
      const p = await variant('long.csv', (t) => t.replace('entry,3,', 'entry,3,' + 'x'.repeat(1_100_000)));
      expectFailure(await run('verify', p, '--keys', keys), 2, 'ERR_AUDIT_LINE_TOO_LONG');
    });

    it('an unterminated quote', async () => {
      const p = await variant('quote.csv', (t) => t.slice(0, t.lastIndexOf('""}"') + 3));
      expectFailure(await run('verify', p, '--keys', keys), 2, 'ERR_AUDIT_CSV_MALFORMED');
    });

    it('the wrong column count', async () => {
      const p = await variant('cols.csv', (t) => t.replace('entry,5,', 'entry,5,extra,'));
      const r = await run('verify', p, '--keys', keys);
      expectFailure(r, 2, 'ERR_AUDIT_CSV_MALFORMED');
      expect(r.err).toMatch(/row 7: .*24 cells; expected 23/);
    });

    it('an unknown format version', async () => {
      const p = await variant('v2.csv', (t) => t.replace('stela.audit/csv/v1', 'stela.audit/csv/v2'));
      expectFailure(await run('verify', p, '--keys', keys), 2, 'ERR_AUDIT_FORMAT_UNSUPPORTED');
      expectFailure(await run('inspect', p), 2, 'ERR_AUDIT_FORMAT_UNSUPPORTED');
    });

    it('a file that is not an export', async () => {
      await writeFile(path('other.csv'), 'name,email\r\nAda,ada@example.com\r\n');
      expectFailure(await run('verify', path('other.csv')), 2, 'ERR_AUDIT_CSV_MALFORMED');
    });

    it('invalid key files: not JSON, wrong shape, a private key, a single JWK', async () => {
      await writeFile(path('k-notjson.json'), '{"keys": [');
      const nj = await run('verify', good, '--keys', path('k-notjson.json'));
      expectFailure(nj, 2, 'ERR_AUDIT_KEYS_INVALID');
      expect(nj.err).toContain('not valid JSON');
      await writeFile(path('k-shape.json'), '{"keys": [{"kty": "RSA", "n": "abc", "e": "AQAB"}]}');
      expectFailure(await run('verify', good, '--keys', path('k-shape.json')), 2, 'ERR_AUDIT_KEYS_INVALID');
      await writeFile(path('k-empty.json'), '{"keys": []}');
      expectFailure(await run('verify', good, '--keys', path('k-empty.json')), 2, 'ERR_AUDIT_KEYS_INVALID');
      const jwk = JSON.parse(await readFile(priv, 'utf8'));
      await writeFile(path('k-private.json'), JSON.stringify({ keys: [jwk] }));
      const p = await run('verify', good, '--keys', path('k-private.json'));
      expectFailure(p, 2, 'ERR_AUDIT_KEYS_INVALID');
      expect(p.err).toContain('PRIVATE');
      expectFailure(await run('verify', good, '--keys', priv), 2, 'ERR_AUDIT_KEYS_INVALID');
      const pub = JSON.parse(await readFile(keys, 'utf8')).keys[0];
      await writeFile(path('k-single.json'), JSON.stringify(pub));
      const single = await run('verify', good, '--keys', path('k-single.json'));
      expectFailure(single, 2, 'ERR_AUDIT_KEYS_INVALID');
      expect(single.err).toContain('single JWK');
      expectFailure(await run('verify', good, '--keys', path('k-missing.json')), 2, 'ERR_AUDIT_USAGE');
    });
  });
});

describe('trusted checkpoints', () => {
  let trusted: string;
  beforeAll(async () => {
    trusted = path('trusted.jws');
    const r = await run('checkpoint', good, '--keys', keys, '--out', trusted);
    expect(r.code, r.err).toBe(0);
  });

  it('the same export passes; a shorter one fails as inconsistent', async () => {
    const same = await run('verify', good, '--keys', keys, '--trusted-checkpoint', trusted);
    expect(same.code, same.err).toBe(0);
    expect(same.out).toContain('your checkpoint     size 1,500: consistent with this export');
    expect(same.out).toContain('consistent with your own checkpoint of size 1,500');

    const short = path('short.csv');
    expect((await run('sample', '--rows', '1000', '--key', priv, '--out', short, '--seed', 'cli')).code).toBe(0);
    const r = await run('verify', short, '--keys', keys, '--trusted-checkpoint', trusted);
    expectFailure(r, 1, 'ERR_AUDIT_CHECKPOINT_INCONSISTENT');
    expect(r.out).toContain('INCONSISTENT with this export');
  });

  it('a longer export of the same log passes against an older checkpoint', async () => {
    const older = path('older.jws');
    const short = path('prefix.csv');
    expect((await run('sample', '--rows', '1000', '--key', priv, '--out', short, '--seed', 'cli')).code).toBe(0);
    expect((await run('checkpoint', short, '--out', older)).code).toBe(0);
    const r = await run('verify', good, '--keys', keys, '--trusted-checkpoint', older);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('your checkpoint     size 1,000: consistent with this export');
  });

  it('accepts the JWS wrapped, in JSON, or as the checkpoint record data cell', async () => {
    const jws = (await readFile(trusted, 'utf8')).trim();
    const lastLine = goodText.trimEnd().split('\r\n').at(-1)!;
    expect(lastLine.startsWith('checkpoint,')).toBe(true);
    const forms = {
      'wrapped.jws': `\n  ${jws.match(/.{1,64}/g)!.join('\n  ')}\n\n`,
      'obj.json': JSON.stringify({ jws }, null, 2),
      'cell.json': lastLine.slice(lastLine.indexOf('"{') + 1, -1).replace(/""/g, '"'),
    };
    for (const [name, text] of Object.entries(forms)) {
      await writeFile(path(name), text);
      const r = await run('verify', good, '--keys', keys, '--trusted-checkpoint', path(name));
      expect(r.code, `${name}: ${r.err}`).toBe(0);
    }
  });

  it('rejects a truncated, empty or keyless trusted checkpoint with exit 2', async () => {
    const jws = (await readFile(trusted, 'utf8')).trim();
    await writeFile(path('trunc.jws'), jws.slice(0, jws.lastIndexOf('.')));
    expectFailure(await run('verify', good, '--keys', keys, '--trusted-checkpoint', path('trunc.jws')), 2, 'ERR_AUDIT_TRUSTED_CHECKPOINT_INVALID');
    await writeFile(path('shortsig.jws'), jws.slice(0, -10));
    expectFailure(await run('verify', good, '--keys', keys, '--trusted-checkpoint', path('shortsig.jws')), 2, 'ERR_AUDIT_TRUSTED_CHECKPOINT_INVALID');
    await writeFile(path('empty.jws'), '');
    expectFailure(await run('verify', good, '--keys', keys, '--trusted-checkpoint', path('empty.jws')), 2, 'ERR_AUDIT_TRUSTED_CHECKPOINT_INVALID');
    await writeFile(path('nojws.json'), '{"size": 3}');
    expectFailure(await run('verify', good, '--keys', keys, '--trusted-checkpoint', path('nojws.json')), 2, 'ERR_AUDIT_TRUSTED_CHECKPOINT_INVALID');
    expectFailure(await run('verify', good, '--trusted-checkpoint', trusted), 2, 'ERR_AUDIT_USAGE');
  });
});

describe('inspect', () => {
  it('summarises without verifying', async () => {
    const r = await run('inspect', good);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('nothing was verified');
    expect(r.out).toContain('entries           1,500, seq 1–1,500');
    expect(r.out).toMatch(/top actions {7}skill\.downloaded/);
    expect(r.out).toContain('(signature not checked)');
    const j = JSON.parse((await run('inspect', good, '--json')).out);
    expect(j).toMatchObject({ verified: false, format: 'stela.audit/csv/v1', tenant: 'org_acme', entries: ROWS, firstSeq: 1, lastSeq: ROWS, seqContiguous: true, checkpoint: { size: ROWS, signedNote: true, embeddedKey: true } });
    expect(j.topActions.length).toBeLessThanOrEqual(10);
    expect(Object.keys(j.outcomes).sort()).toEqual(['denied', 'failure', 'success']);
    expect(j.erasedFields).toBeGreaterThan(0);
    expect(j.fileBytes).toBe(Buffer.byteLength(goodText));
  });

  it('reports bad input with exit 2', async () => {
    expectFailure(await run('inspect', path('nope.csv')), 2, 'ERR_AUDIT_USAGE');
    expectFailure(await run('inspect', path('empty.csv')), 2, 'ERR_AUDIT_EMPTY_FILE');
    const p = await variant('quote2.csv', (t) => t.slice(0, t.lastIndexOf('""}"') + 3));
    expectFailure(await run('inspect', p), 2, 'ERR_AUDIT_CSV_MALFORMED');
  });
});

describe('checkpoint', () => {
  it('prints the JWS, and refuses one from an export that does not verify', async () => {
    const r = await run('checkpoint', good);
    expect(r.code).toBe(0);
    expect(r.out.trim()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(r.err).toContain('not verified');
    const j = JSON.parse((await run('checkpoint', good, '--keys', keys, '--json')).out);
    expect(j).toMatchObject({ origin: 'audit.skillhub.example/org_acme', size: ROWS, verified: true });
    const t = await variant('t2.csv', (x) => x.replace('entry,9,org_acme,', 'entry,9,org_acmf,'));
    const bad = await run('checkpoint', t, '--keys', keys);
    expectFailure(bad, 1, 'ERR_AUDIT_HASH_MISMATCH');
    expect(bad.out).toBe('');
    const cut = await variant('cut2.csv', (x) => x.split('\r\n').slice(0, 50).join('\r\n'));
    expectFailure(await run('checkpoint', cut), 1, 'ERR_AUDIT_TRUNCATED');
    const trailing = await variant('trailing.csv', (x) => x + 'not,a,record\r\n');
    expectFailure(await run('checkpoint', trailing), 2, 'ERR_AUDIT_CSV_MALFORMED');
  });
});

describe('progress', () => {
  it('draws only on a terminal and for large inputs, at most ten times a second', () => {
    let out = '';
    let t = 0;
    const sink = { write: (s: string) => (out += s), isTTY: true, columns: 100 };
    const p = createProgress(sink, 'verifying', 100 << 20, 'bytes', () => t);
    p.update(1 << 20, 1000);
    p.update(2 << 20, 2000); // same instant: throttled
    t = 150;
    p.update(50 << 20, 50_000);
    p.finish();
    expect(out.match(/\r verifying|\rverifying/g)).toHaveLength(2);
    expect(out).toContain(' 50%');
    expect(out.endsWith('\r\u001b[K')).toBe(true);
    let quiet = '';
    createProgress({ write: (s: string) => (quiet += s), isTTY: false }, 'v', 100 << 20, 'bytes').update(1, 1);
    createProgress({ write: (s: string) => (quiet += s), isTTY: true }, 'v', 1000, 'bytes').update(1, 1);
    expect(quiet).toBe('');
  });
});

const bin = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const shim = fileURLToPath(new URL('../bin/stela-audit.js', import.meta.url));
// `./run test` builds before vitest; run alone, this fails with a clear message instead of skipping.
describe('built bin (smoke)', () => {
  it('the package bin (bin/stela-audit.js) runs the built CLI', async () => {
    expect(existsSync(bin), 'dist/ is missing: run ./run pnpm --filter @stela/audit-chain build').toBe(true);
    const r = await promisify(execFile)(process.execPath, [shim, '--help']);
    expect(r.stdout).toContain('Usage: stela-audit');
  });

  it('runs as a process: help, verify, and exit codes', async () => {
    expect(existsSync(bin), 'dist/ is missing: run ./run pnpm --filter @stela/audit-chain build').toBe(true);
    const exec = promisify(execFile);
    const help = await exec(process.execPath, [bin, '--help']);
    expect(help.stdout).toContain('Usage: stela-audit');
    const ok = await exec(process.execPath, [bin, 'verify', good, '--keys', keys]);
    expect(ok.stdout).toMatch(/^VERIFIED/);
    await mkdir(path('sub'), { recursive: true });
    const fail = await exec(process.execPath, [bin, 'verify', path('sub')]).catch((e: { code: number; stderr: string }) => e);
    expect(fail).toMatchObject({ code: 2 });
    expect((fail as { stderr: string }).stderr).toMatch(/^stela-audit: ERR_AUDIT_USAGE: /);
    expect((fail as { stderr: string }).stderr).not.toContain('    at ');
  });

  it('reports the same on worker threads (--workers 1) as on this thread (--workers 0)', async () => {
    expect(existsSync(bin), 'dist/ is missing: run ./run pnpm --filter @stela/audit-chain build').toBe(true);
    const exec = promisify(execFile);
    const tampered = await variant('workers-tampered.csv', (csv) => csv.replace('\nentry,700,', '\nentry,701,'));
    for (const file of [good, tampered]) {
      const report = async (workers: string) => {
        const r = await exec(process.execPath, [bin, 'verify', file, '--keys', keys, '--json', '--workers', workers]).catch((e: { stdout: string }) => e);
        // On a failure, `bytes` is how far reading had got, which follows the read size (64 KiB
        // on this thread, 256 KiB with workers); everything else must be the same.
        const { elapsedMs: _, bytes, ...rest } = JSON.parse(r.stdout) as Record<string, unknown>;
        return rest.ok ? { ...rest, bytes } : rest;
      };
      const inline = await report('0');
      const threaded = await report('1');
      expect(inline.workers).toBe(0);
      expect(threaded.workers).toBe(1);
      expect({ ...threaded, workers: 0 }).toEqual(inline);
      expect(inline.ok).toBe(file === good);
    }
  });

  // The package promises Node >= 20.12; the machine's own Node is often 20.
  const systemNode = ['/usr/bin/node', '/usr/local/bin/node'].find((p) => existsSync(p) && p !== process.execPath);
  it.skipIf(!systemNode)('runs under the system Node too', async () => {
    const exec = promisify(execFile);
    const { stdout } = await exec(systemNode!, [bin, 'verify', good, '--keys', keys]);
    expect(stdout).toMatch(/^VERIFIED/);
  });
});
