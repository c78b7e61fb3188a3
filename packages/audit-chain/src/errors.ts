/**
 * One error class for the package. `code` is stable API: switch on it, not on the message.
 * `instanceof` is not reliable when two copies of the package are installed, so
 * `isAuditChainError` checks the brand instead.
 */

/** Codes that mean "the evidence is bad" (CLI exit 1) rather than "the input is unusable" (exit 2). */
const INTEGRITY = [
  'ERR_AUDIT_HASH_MISMATCH',
  'ERR_AUDIT_CHAIN_BROKEN',
  'ERR_AUDIT_SEQ_GAP',
  'ERR_AUDIT_COMMITMENT_MISMATCH',
  'ERR_AUDIT_ROOT_MISMATCH',
  'ERR_AUDIT_SIGNATURE_INVALID',
  'ERR_AUDIT_UNKNOWN_KEY',
  'ERR_AUDIT_KEY_NOT_VALID',
  'ERR_AUDIT_TRUNCATED',
  'ERR_AUDIT_CHECKPOINT_INCONSISTENT',
] as const;

/** Every code this package can report, thrown or in a verification report. */
export const AUDIT_ERROR_CODES = [
  // verification outcomes (exit 1: integrity at stake)
  ...INTEGRITY,
  // format and usage (exit 2)
  'ERR_AUDIT_CSV_MALFORMED',
  'ERR_AUDIT_FORMAT_UNSUPPORTED',
  'ERR_AUDIT_EMPTY_FILE',
  'ERR_AUDIT_ENCODING',
  'ERR_AUDIT_LINE_TOO_LONG',
  'ERR_AUDIT_KEYS_INVALID',
  'ERR_AUDIT_TRUSTED_CHECKPOINT_INVALID',
  'ERR_AUDIT_TRUSTED_CHECKPOINT_OUT_OF_RANGE',
  'ERR_AUDIT_USAGE',
  'ERR_AUDIT_INPUT_UNREADABLE',
  // library use (thrown)
  'ERR_AUDIT_INVALID_ENTRY',
  'ERR_AUDIT_INVALID_STRING',
  'ERR_AUDIT_INVALID_PROOF_REQUEST',
  'ERR_AUDIT_STORE',
  'ERR_AUDIT_APPEND_ONLY',
  'ERR_AUDIT_LEGAL_HOLD',
  'ERR_AUDIT_NOT_FOUND',
  'ERR_AUDIT_SIGNER',
  'ERR_AUDIT_RUNNER_FAILED',
] as const;

/** A stable error code. */
export type AuditErrorCode = (typeof AUDIT_ERROR_CODES)[number];

/** Codes that mean "the evidence is bad" (CLI exit 1) rather than "the input is unusable" (exit 2). */
export const INTEGRITY_CODES: ReadonlySet<AuditErrorCode> = new Set<AuditErrorCode>(INTEGRITY);

const BRAND = Symbol.for('@stela/audit-chain/error');

/**
 * The error every throwing API of this package uses.
 * @example
 * try { parseEntryInput(input) } catch (e) { if (isAuditChainError(e)) console.error(e.code) }
 */
export class AuditChainError extends Error {
  /** Stable code, `ERR_AUDIT_*`. */
  readonly code: AuditErrorCode;
  /** Extra machine-readable context (never secrets). */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(
    code: AuditErrorCode,
    message: string,
    options?: { cause?: unknown; details?: Record<string, unknown> },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AuditChainError';
    this.code = code;
    this.details = options?.details;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/** True for an `AuditChainError` from any copy of this package. */
export function isAuditChainError(e: unknown): e is AuditChainError {
  return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[BRAND] === true;
}
