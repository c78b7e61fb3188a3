/** Stable error codes. Callers switch on `code`, never on the message. */
export type TrustCenterErrorCode =
  | 'ERR_TRUST_CONFIG_INVALID'
  | 'ERR_TRUST_CONFIG_NOT_FOUND'
  | 'ERR_TRUST_SIGNING_KEY_INVALID'
  | 'ERR_TRUST_BUILD_FAILED';

/**
 * The one error class of `@stela/trust-center`. Thrown for programmer and environment errors;
 * config problems come back as data from `safeParse…` and only become this error in `parse…`.
 *
 * @example
 * ```ts
 * try { parseTrustYaml(source, { now: new Date() }); }
 * catch (e) { if (e instanceof TrustCenterError && e.code === 'ERR_TRUST_CONFIG_INVALID') console.log(e.message); }
 * ```
 */
export class TrustCenterError extends Error {
  readonly code: TrustCenterErrorCode;
  constructor(code: TrustCenterErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TrustCenterError';
    this.code = code;
  }
}
