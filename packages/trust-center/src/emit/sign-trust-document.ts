import { calculateJwkThumbprint, CompactSign, importJWK, type JWK } from 'jose';
import { z } from 'zod';
import { TrustCenterError } from '../errors.js';

/** A private Ed25519 JWK (RFC 8037), as `stela-audit keygen` and `jose` write it. */
export const SigningJwkSchema = z.looseObject({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  x: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  d: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
});

/** The media type in the JWS header, so a reader knows the payload is a trust document. */
export const TRUST_JWS_TYP = 'stela-trust+jws';

export interface SignedTrustDocument {
  /** The compact JWS (RFC 7515 §7.1) whose payload is exactly the bytes of `trust.json`. */
  jws: string;
  /** The public JWKS to publish at `/.well-known/trust-keys.json`. */
  jwks: { keys: Array<{ kty: 'OKP'; crv: 'Ed25519'; x: string; kid: string; alg: 'EdDSA'; use: 'sig' }> };
  kid: string;
}

/**
 * Signs the exact bytes of `trust.json` with the vendor's Ed25519 key. The payload is the file,
 * not a re-serialisation, so a buyer checks `base64url(file) === payload` and the signature.
 *
 * @throws {TrustCenterError} `ERR_TRUST_SIGNING_KEY_INVALID` when the key is not a private Ed25519 JWK.
 * @example
 * ```ts
 * const { jws, jwks } = await signTrustDocument(new TextEncoder().encode(json), privateJwk);
 * ```
 */
export async function signTrustDocument(payload: Uint8Array, privateJwk: unknown): Promise<SignedTrustDocument> {
  const parsed = SigningJwkSchema.safeParse(privateJwk);
  if (!parsed.success) {
    throw new TrustCenterError('ERR_TRUST_SIGNING_KEY_INVALID', 'The signing key must be a private Ed25519 JWK with kty "OKP", crv "Ed25519", x and d.');
  }
  const { kty, crv, x, d } = parsed.data;
  const kid = await calculateJwkThumbprint({ kty, crv, x }, 'sha256');
  let key: CryptoKey | Uint8Array;
  try {
    key = await importJWK({ kty, crv, x, d } as JWK, 'EdDSA');
  } catch (cause) {
    throw new TrustCenterError('ERR_TRUST_SIGNING_KEY_INVALID', 'The signing key could not be imported as Ed25519.', { cause });
  }
  const jws = await new CompactSign(payload).setProtectedHeader({ alg: 'EdDSA', kid, typ: TRUST_JWS_TYP }).sign(key);
  return { jws, kid, jwks: { keys: [{ kty: 'OKP', crv: 'Ed25519', x, kid, alg: 'EdDSA', use: 'sig' }] } };
}
