// Keys rotate: one JWKS holds old and new keys with validity windows, exports signed before the
// rotation keep verifying, and a signer can be anything that signs (here a non-extractable
// WebCrypto key standing in for a KMS).
import { describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair } from 'jose';
import { createAuditLog, createMemoryStore, keyThumbprint, verifyExport, type AuditPublicJwk, type Signer } from '../src/index.js';
import { fakeRandom, readAll, sampleEntry } from './helpers.js';

async function kmsLikeSigner(): Promise<Signer> {
  const { privateKey, publicKey } = await generateKeyPair('Ed25519', { extractable: false });
  const pub = await exportJWK(publicKey);
  const kid = await keyThumbprint(pub as { kty: string; crv: string; x: string });
  return {
    kid,
    publicJwk: { kty: 'OKP', crv: 'Ed25519', x: pub.x!, kid, alg: 'EdDSA', use: 'sig' } as AuditPublicJwk,
    sign: async (data) => new Uint8Array(await crypto.subtle.sign('Ed25519', privateKey, data as Uint8Array<ArrayBuffer>)),
  };
}

describe('key rotation', () => {
  it('old and new exports verify against one JWKS with validity windows; a key outside its window does not', async () => {
    const oldKey = await kmsLikeSigner();
    const newKey = await kmsLikeSigner();
    const rotation = '2026-06-01T00:00:00.000Z';
    let now = new Date('2026-05-01T00:00:00.000Z');
    const store = createMemoryStore();
    const common = { store, logName: 'audit.acme.example', now: () => now, randomBytes: fakeRandom() };

    const before = createAuditLog({ ...common, signer: oldKey });
    for (let i = 0; i < 5; i++) await before.append(sampleEntry(i));
    const exportBefore = await readAll(before.exportCsv('org_1'));

    now = new Date('2026-07-01T00:00:00.000Z');
    const after = createAuditLog({ ...common, signer: newKey });
    for (let i = 5; i < 9; i++) await after.append(sampleEntry(i));
    const exportAfter = await readAll(after.exportCsv('org_1'));

    const jwks = {
      keys: [
        { ...oldKey.publicJwk, valid_until: rotation },
        { ...newKey.publicJwk, valid_from: rotation },
      ],
    };
    expect(await verifyExport(exportBefore, { keys: jwks })).toMatchObject({ ok: true, rows: 5, checkpoint: { kid: oldKey.kid } });
    expect(await verifyExport(exportAfter, { keys: jwks })).toMatchObject({ ok: true, rows: 9, checkpoint: { kid: newKey.kid } });
    // The old export's checkpoint is consistent with the new one: the customer's saved checkpoint
    // from before the rotation still proves the new export extends it.
    const oldCheckpoint = (await verifyExport(exportBefore, { keys: jwks })).checkpoint!;
    const cpJws = JSON.parse(exportBefore.trimEnd().split('\r\n').at(-1)!.replace(/^checkpoint,+/, '').replace(/^"|"$/g, '').replace(/""/g, '"')).jws;
    expect(oldCheckpoint.size).toBe(5);
    expect(await verifyExport(exportAfter, { keys: jwks, trustedCheckpoint: cpJws })).toMatchObject({ ok: true, trustedCheckpoint: { size: 5, consistent: true } });

    // A key that signs outside its window is refused, even though the signature is valid.
    const leaked = { keys: [{ ...oldKey.publicJwk, valid_until: rotation }] };
    const misuse = createAuditLog({ ...common, signer: oldKey });
    await misuse.append(sampleEntry(9));
    expect(await verifyExport(await readAll(misuse.exportCsv('org_1')), { keys: leaked })).toMatchObject({ ok: false, code: 'ERR_AUDIT_KEY_NOT_VALID' });
  });
});
