/**
 * Reads a checkpoint a customer saved earlier. Accepted, with any surrounding whitespace: the
 * compact JWS alone (as `stela-audit checkpoint` writes it, line-wrapped or not), a JSON object
 * `{ "jws": "…" }`, or the JSON data cell of an export's `checkpoint` record.
 */
import { cliError } from './io.js';

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * Returns the compact JWS held in a trusted-checkpoint file's text. Signatures are checked later
 * by the verifier; this only finds the JWS.
 * @throws AuditChainError `ERR_AUDIT_TRUSTED_CHECKPOINT_INVALID`
 */
export function parseTrustedCheckpoint(text: string, path: string): string {
  const trimmed = text.replace(/^\ufeff/, '').trim();
  let candidate: unknown = trimmed;
  if (trimmed.startsWith('{')) {
    try {
      candidate = (JSON.parse(trimmed) as { jws?: unknown }).jws;
    } catch {
      throw bad(path, 'is not valid JSON');
    }
    if (typeof candidate !== 'string') throw bad(path, 'is a JSON object without a "jws" string');
  }
  const jws = (candidate as string).replace(/\s+/g, '');
  if (!COMPACT_JWS.test(jws)) {
    const parts = jws.split('.').length;
    throw bad(path, parts === 3 ? 'does not hold a compact JWS (it has characters outside base64url)' : `does not hold a compact JWS (found ${parts} dot-separated part${parts === 1 ? '' : 's'}, expected 3: it may be truncated)`);
  }
  return jws;
}

function bad(path: string, why: string) {
  return cliError('ERR_AUDIT_TRUSTED_CHECKPOINT_INVALID', `${path} ${why}`);
}
