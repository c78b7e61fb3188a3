/**
 * What a command talks to, injected so tests can run `main` in-process: two writable text sinks
 * and the environment. Commands return an exit code; only `main.ts` ends the process.
 */
import { AuditChainError, INTEGRITY_CODES, type AuditErrorCode } from '../errors.js';

/** A text sink; `process.stdout` and `process.stderr` fit. */
export interface TextSink {
  write(text: string): unknown;
  /** True when the sink is a terminal (progress bars are drawn only then). */
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** The CLI's view of the outside world. */
export interface CliIo {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  /** Standard input, read when a command is given `-` as its file. */
  readonly stdin?: AsyncIterable<Uint8Array>;
  /** Environment variables (default: none). `STELA_AUDIT_DEBUG=1` prints stacks of internal errors. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Exit codes (SPEC.md §9): 0 verified / done, 1 integrity failure, 2 usage or format error. */
export const EXIT = { ok: 0, integrity: 1, usage: 2 } as const;

/** A problem the CLI reports as `stela-audit: <CODE>: <message>` plus an optional hint. */
export function cliError(code: AuditErrorCode, message: string, hint?: string, cause?: unknown): AuditChainError {
  const options: { cause?: unknown; details?: Record<string, unknown> } = {};
  if (hint !== undefined) options.details = { hint };
  if (cause !== undefined) options.cause = cause;
  return new AuditChainError(code, message, options);
}

/** `ERR_AUDIT_USAGE` with a pointer to the command's help. */
export function usageError(message: string, command?: string): AuditChainError {
  return cliError('ERR_AUDIT_USAGE', message, `run: stela-audit ${command ? command + ' ' : ''}--help`);
}

/** Exit code for an error code. */
export function exitCodeForCode(code: AuditErrorCode): 1 | 2 {
  return INTEGRITY_CODES.has(code) ? EXIT.integrity : EXIT.usage;
}

/** What to do next, per code: shown under the error line. */
export const HINTS: Partial<Record<AuditErrorCode, string>> = {
  ERR_AUDIT_INPUT_UNREADABLE: 'the file exists but could not be read (permissions, a disk or network error). Copy it somewhere readable and try again.',
  ERR_AUDIT_HASH_MISMATCH: 'the file was changed after it was signed. Get a fresh copy from the vendor; if that fails too, report it to them.',
  ERR_AUDIT_CHAIN_BROKEN: 'rows were changed, removed or reordered after signing. Get a fresh copy from the vendor; if that fails too, report it to them.',
  ERR_AUDIT_SEQ_GAP: 'a row is missing, duplicated or out of order. Get a fresh copy from the vendor; if that fails too, report it to them.',
  ERR_AUDIT_COMMITMENT_MISMATCH: 'a personal-data cell does not match what was signed. Get a fresh copy from the vendor; if that fails too, report it to them.',
  ERR_AUDIT_ROOT_MISMATCH: 'the rows do not add up to what the vendor signed. Get a fresh copy; if that fails too, report it to the vendor.',
  ERR_AUDIT_SIGNATURE_INVALID: 'the checkpoint signature does not verify: the file was altered or signed by someone else.',
  ERR_AUDIT_UNKNOWN_KEY: "the export was signed by a key that is not in --keys. Fetch the current audit-keys.json from the vendor's trust center; if it still fails, the vendor did not sign this export.",
  ERR_AUDIT_KEY_NOT_VALID: "the signing key was outside its validity window. Fetch the current audit-keys.json from the vendor's trust center.",
  ERR_AUDIT_TRUNCATED: 'the file is cut short. Download it again; if that fails too, ask the vendor.',
  ERR_AUDIT_CHECKPOINT_INCONSISTENT: "the vendor's log no longer contains what it signed for you earlier. Keep both files and contact the vendor's security team.",
  ERR_AUDIT_CSV_MALFORMED: 'use the file exactly as downloaded: opening and saving it in a spreadsheet rewrites it.',
  ERR_AUDIT_FORMAT_UNSUPPORTED: 'this file may use a newer format version: update stela-audit (npm install -g @stela/audit-chain).',
  ERR_AUDIT_EMPTY_FILE: 'download the export again.',
  ERR_AUDIT_ENCODING: 'the file is not UTF-8, so it was probably re-saved by another program. Use the original download.',
  ERR_AUDIT_LINE_TOO_LONG: 'this is not a Stela audit export, or it was damaged: no valid row is that long.',
  ERR_AUDIT_KEYS_INVALID: "pass the vendor's published audit-keys.json: a JWKS like {\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"…\"}]}.",
  ERR_AUDIT_TRUSTED_CHECKPOINT_INVALID: 'pass a checkpoint saved with `stela-audit checkpoint <export>` from an export that verified.',
};
