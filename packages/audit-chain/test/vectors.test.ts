import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { sha256 } from '#digest';
import { canonicalJson } from '../src/canonical-json.js';
import { canonicalRecordText, fieldCommitment, GENESIS_HASH, type AuditRecord } from '../src/record.js';
import { toHex, concatBytes, utf8 } from '../src/bytes.js';
import { createLocalSigner } from '../src/signer.js';
import { signCheckpoint, verifyCheckpoint } from '../src/checkpoint.js';
import { createKeyRing } from '../src/keys.js';
import { noteVerifierKey } from '../src/signed-note.js';
import { verifyExport } from '../src/verify.js';

const dir = new URL('./vectors/', import.meta.url);
const load = (name: string) => JSON.parse(readFileSync(new URL(name, dir), 'utf8'));
const entries = load('entries.json');
const cp = load('checkpoint.json');
const expected = load('exports/expected.json');

describe('entry vectors (SPEC §4, §5)', () => {
  const cases: [number, unknown][] = entries.cases.map((c: { seq: number }) => [c.seq, c]);
  it.each(cases)('seq %i: JCS text, leaf hash, chain and commitments', (_seq, c) => {
    const k = c as { record: AuditRecord; leaf_object: unknown; leaf_jcs: string; hash: string; commitments: { field: string; salt: string; value: never; jcs_input: string; commitment: string }[] };
    expect(canonicalRecordText(k.record)).toBe(k.leaf_jcs);
    expect(canonicalJson(k.leaf_object)).toBe(k.leaf_jcs);
    expect(toHex(sha256(concatBytes(new Uint8Array([0]), utf8.encode(k.leaf_jcs))))).toBe(k.hash);
    expect(k.record.hash).toBe(k.hash);
    for (const cm of k.commitments) {
      expect(canonicalJson([cm.salt, cm.field, cm.value])).toBe(cm.jcs_input);
      expect(fieldCommitment(cm.field, cm.value, cm.salt)).toBe(cm.commitment);
      expect(k.record.commitments[cm.field]).toBe(cm.commitment);
    }
  });

  it('chains entry n to entry n-1 from the genesis hash', () => {
    let prev = GENESIS_HASH;
    for (const c of entries.cases) {
      expect(c.record.prev_hash).toBe(prev);
      prev = c.hash;
    }
  });
});

describe('checkpoint vectors (SPEC §7)', () => {
  it('re-signing reproduces the JWS and the signed note byte for byte (Ed25519 is deterministic)', async () => {
    const signer = await createLocalSigner(cp.private_jwk);
    expect(signer.kid).toBe(cp.kid);
    expect(canonicalJson(cp.checkpoint)).toBe(cp.payload_jcs);
    const signed = await signCheckpoint(cp.checkpoint, signer);
    expect(signed.jws).toBe(cp.jws);
    expect(signed.note).toBe(cp.note);
  });

  it('verifies, and the note is a C2SP tlog-checkpoint', async () => {
    const ring = await createKeyRing(cp.public_jwks);
    const v = await verifyCheckpoint(cp.jws, ring, cp.note);
    expect(v.ok).toBe(true);
    const [origin, size, root] = cp.note.split('\n');
    expect(origin).toBe(cp.checkpoint.origin);
    expect(Number(size)).toBe(cp.checkpoint.size);
    expect(Buffer.from(root, 'base64').toString('hex')).toBe(cp.checkpoint.root);
    expect(cp.note).toMatch(/\n\n\u2014 \S+ [A-Za-z0-9+/=]+\n$/);
    const x = Buffer.from(cp.public_jwks.keys[0].x, 'base64url');
    expect(noteVerifierKey(origin, x)).toMatch(new RegExp(`^${origin.replace(/[.]/g, '\\.')}\\+[0-9a-f]{8}\\+`));
  });

  it('rejects a truncated JWS, a foreign key and a note for another tree head', async () => {
    const ring = await createKeyRing(cp.public_jwks);
    expect(await verifyCheckpoint(cp.jws.slice(0, -10), ring)).toMatchObject({ ok: false, code: 'ERR_AUDIT_SIGNATURE_INVALID' });
    expect(await verifyCheckpoint(cp.jws.split('.').slice(0, 2).join('.'), ring)).toMatchObject({ ok: false, code: 'ERR_AUDIT_SIGNATURE_INVALID' });
    const other = await createKeyRing({ keys: [{ kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo'.replace('1', '2') }] }).catch(() => null);
    if (other) expect(await verifyCheckpoint(cp.jws, other)).toMatchObject({ ok: false, code: 'ERR_AUDIT_UNKNOWN_KEY' });
    const forged = cp.note.replace(`\n${cp.checkpoint.size}\n`, `\n${cp.checkpoint.size + 1}\n`);
    expect(await verifyCheckpoint(cp.jws, ring, forged)).toMatchObject({ ok: false, code: 'ERR_AUDIT_SIGNATURE_INVALID' });
  });

  it('honours key validity windows', async () => {
    const issued = cp.checkpoint.issued_at as string;
    const later = { keys: [{ ...cp.public_jwks.keys[0], valid_from: '2099-01-01T00:00:00.000Z' }] };
    expect(await verifyCheckpoint(cp.jws, await createKeyRing(later))).toMatchObject({ ok: false, code: 'ERR_AUDIT_KEY_NOT_VALID' });
    const retired = { keys: [{ ...cp.public_jwks.keys[0], valid_until: issued }] };
    expect(await verifyCheckpoint(cp.jws, await createKeyRing(retired))).toMatchObject({ ok: false, code: 'ERR_AUDIT_KEY_NOT_VALID' });
    const window = { keys: [{ ...cp.public_jwks.keys[0], valid_from: issued, valid_until: '2099-01-01T00:00:00.000Z' }] };
    expect((await verifyCheckpoint(cp.jws, await createKeyRing(window))).ok).toBe(true);
  });
});

describe('golden exports (SPEC §8, §9)', () => {
  for (const c of expected.cases) {
    it(`${c.file}${c.trusted_checkpoint ? ' + trusted checkpoint' : ''} → ${c.code ?? 'verified'}`, async () => {
      const bytes = readFileSync(new URL('exports/' + c.file, dir));
      const trustedCheckpoint = c.trusted_checkpoint ? readFileSync(new URL('exports/' + c.trusted_checkpoint, dir), 'utf8') : undefined;
      const r = await verifyExport(new Uint8Array(bytes), { keys: cp.public_jwks, ...(trustedCheckpoint ? { trustedCheckpoint } : {}) });
      expect(r.code, r.message).toBe(c.code);
      expect(r.ok).toBe(c.code === null);
      if (c.rows !== undefined) expect(r.rows).toBe(c.rows);
      if (c.erased_fields !== undefined) expect(r.erasedFields).toBe(c.erased_fields);
      if (c.bom !== undefined) expect(r.bom).toBe(c.bom);
      if (c.seq) expect(r.failure?.seq).toBe(c.seq);
      if (c.row) expect(r.failure?.row).toBe(c.row);
    });
  }
});
