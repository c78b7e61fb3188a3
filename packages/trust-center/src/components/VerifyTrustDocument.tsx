import { compactVerify, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import { useState } from 'react';

export interface VerifyTrustDocumentProps {
  trustUrl: string;
  jwsUrl: string;
  keysUrl: string;
}

type Result = { ok: true; kid: string } | { ok: false; message: string };

/**
 * Checks, in the browser, that this site's trust.json is exactly the document its vendor signed:
 * the JWS verifies with the published key and its payload equals the served file byte for byte.
 */
export function VerifyTrustDocument({ trustUrl, jwsUrl, keysUrl }: VerifyTrustDocumentProps) {
  const [result, setResult] = useState<Result | null>(null);
  const [busy, setBusy] = useState(false);

  async function check() {
    setBusy(true);
    try {
      const get = async (url: string) => {
        const res = await fetch(url, { credentials: 'omit', cache: 'no-store' });
        if (!res.ok) throw new Error(`${url} answered ${res.status}.`);
        return res;
      };
      const [body, jws, jwks] = await Promise.all([
        get(trustUrl).then((r) => r.arrayBuffer()),
        get(jwsUrl).then((r) => r.text()),
        get(keysUrl).then((r) => r.json() as Promise<{ keys: Array<JWK & { kid?: string }> }>),
      ]);
      const { kid } = decodeProtectedHeader(jws.trim());
      const jwk = jwks.keys.find((k) => k.kid === kid);
      if (!jwk) throw new Error(`No published key has kid ${String(kid)}.`);
      const { payload } = await compactVerify(jws.trim(), await importJWK(jwk, 'EdDSA'));
      const served = new Uint8Array(body);
      const same = served.length === payload.length && served.every((b, i) => b === payload[i]);
      setResult(same ? { ok: true, kid: String(kid) } : { ok: false, message: 'The signature is valid, but trust.json differs from the signed document.' });
    } catch (e) {
      setResult({ ok: false, message: e instanceof Error ? e.message : String(e) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div>
      <p>
        <button type="button" onClick={() => void check()} disabled={busy} data-testid="trust-check">
          {busy ? 'Checking…' : 'Check the trust.json signature'}
        </button>
      </p>
      <div role="status" aria-live="polite" data-testid="trust-check-status" data-ok={result ? String(result.ok) : undefined}>
        {result?.ok ? (
          <p>
            <span className="badge badge-good">Signature valid</span> trust.json is exactly the document signed with key <code>{result.kid.slice(0, 12)}…</code>.
          </p>
        ) : null}
        {result && !result.ok ? (
          <p>
            <span className="badge badge-bad">Not verified</span> {result.message}
          </p>
        ) : null}
      </div>
    </div>
  );
}
