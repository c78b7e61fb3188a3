/**
 * Signing sits behind `Signer`, so a production key can live in a KMS or HSM that database
 * credentials cannot reach. Only `createLocalSigner` ever holds private key bytes.
 */
import { importJWK } from 'jose';
import { AuditChainError } from './errors.js';
import { AuditPrivateJwkSchema, keyThumbprint, type AuditPublicJwk } from './keys.js';

/** Signs bytes with an Ed25519 key. */
export interface Signer {
  /** RFC 7638 thumbprint of the public key. */
  readonly kid: string;
  /** The public key, as published. */
  readonly publicJwk: AuditPublicJwk;
  /** Returns the 64-byte Ed25519 signature of `data`. */
  sign(data: Uint8Array): Promise<Uint8Array>;
}

/**
 * Creates a signer from a private JWK held in memory (development, tests, small deployments).
 * @throws AuditChainError `ERR_AUDIT_SIGNER` when the JWK is not an Ed25519 private key.
 * @example const signer = await createLocalSigner(JSON.parse(await readFile('audit-key.jwk', 'utf8')));
 */
export async function createLocalSigner(privateJwk: unknown): Promise<Signer> {
  const parsed = AuditPrivateJwkSchema.safeParse(privateJwk);
  if (!parsed.success) {
    throw new AuditChainError('ERR_AUDIT_SIGNER', 'the signing key is not an Ed25519 private JWK (kty "OKP", crv "Ed25519", with "d" and "x")');
  }
  const { x, d } = parsed.data;
  const key = (await importJWK({ kty: 'OKP', crv: 'Ed25519', x, d }, 'EdDSA')) as CryptoKey;
  const kid = await keyThumbprint(parsed.data);
  const publicJwk: AuditPublicJwk = { kty: 'OKP', crv: 'Ed25519', x, kid, alg: 'EdDSA', use: 'sig' };
  return {
    kid,
    publicJwk,
    async sign(data) {
      return new Uint8Array(await crypto.subtle.sign('Ed25519', key, data as Uint8Array<ArrayBuffer>));
    },
  };
}
