/** Loading the key files the CLI takes: a public JWKS for verifying, a private JWK for signing. */
import { isAuditChainError } from '../errors.js';
import { createKeyRing } from '../keys.js';
import { createLocalSigner, type Signer } from '../signer.js';
import { cliError } from './io.js';
import { parseJsonFile, readSmallText } from './files.js';

const JWKS = "a JWKS (the vendor's audit-keys.json)";

/**
 * Reads and checks a public key set. Returns the parsed JSON, ready for `verifyExport({ keys })`.
 * @throws AuditChainError `ERR_AUDIT_KEYS_INVALID` (not JSON, wrong shape, a private key inside),
 * `ERR_AUDIT_USAGE` (unreadable file).
 */
export async function loadPublicKeys(path: string): Promise<unknown> {
  const json = parseJsonFile(path, await readSmallText(path, JWKS, 'ERR_AUDIT_KEYS_INVALID'), JWKS, 'ERR_AUDIT_KEYS_INVALID');
  const obj = json as Record<string, unknown> | null;
  const hasPrivate = (k: unknown) => typeof k === 'object' && k !== null && 'd' in k;
  if (hasPrivate(obj) || (Array.isArray(obj?.keys) && (obj.keys as unknown[]).some(hasPrivate))) {
    throw cliError(
      'ERR_AUDIT_KEYS_INVALID',
      `${path} holds a PRIVATE key. Verifying needs only the public key set; never pass or share the private key`,
      'pass audit-keys.json (written by keygen next to the private key), or the vendor\'s published /.well-known/audit-keys.json.',
    );
  }
  if (obj && typeof obj === 'object' && !Array.isArray(obj) && 'kty' in obj && !('keys' in obj)) {
    throw cliError('ERR_AUDIT_KEYS_INVALID', `${path} is a single JWK, not a key set`, 'wrap it as {"keys":[ … ]} or use the vendor\'s audit-keys.json.');
  }
  try {
    await createKeyRing(json, true);
  } catch (e) {
    if (isAuditChainError(e)) throw cliError(e.code, `${path}: ${e.message}`);
    throw e;
  }
  return json;
}

/**
 * Reads a private signing key written by `stela-audit keygen`.
 * @throws AuditChainError `ERR_AUDIT_SIGNER` (not a private Ed25519 JWK), `ERR_AUDIT_USAGE`.
 */
export async function loadSigner(path: string): Promise<Signer> {
  const what = 'a private JWK (audit-key.private.jwk from stela-audit keygen)';
  const json = parseJsonFile(path, await readSmallText(path, what, 'ERR_AUDIT_SIGNER'), what, 'ERR_AUDIT_SIGNER');
  if (json && typeof json === 'object' && 'keys' in json) {
    throw cliError('ERR_AUDIT_SIGNER', `${path} is a public key set; signing needs the private key`, 'pass audit-key.private.jwk, written by stela-audit keygen.');
  }
  try {
    return await createLocalSigner(json);
  } catch (e) {
    if (isAuditChainError(e)) throw cliError(e.code, `${path}: ${e.message}`, 'pass audit-key.private.jwk, written by stela-audit keygen.');
    throw e;
  }
}
