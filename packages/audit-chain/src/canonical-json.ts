/**
 * RFC 8785 JSON Canonicalization Scheme (JCS).
 *
 * - Object keys sort by UTF-16 code units (§3.2.3), which is JavaScript's default string order.
 * - Strings serialise as ECMAScript `JSON.stringify` does (§3.2.2.2): the same escapes, lower-case
 *   `\u00xx`. Lone surrogates are rejected, since JCS input must be valid I-JSON (RFC 7493 §2.1).
 * - Numbers serialise as ECMAScript `Number.prototype.toString` (§3.2.2.3); NaN and ±Infinity
 *   are rejected. `-0` becomes `0`.
 */
import { AuditChainError } from './errors.js';

/** A JSON value JCS can encode. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * Returns the JCS text of `value`.
 * @throws AuditChainError `ERR_AUDIT_INVALID_STRING` for lone surrogates, non-finite numbers or
 * values JSON cannot hold.
 * @example canonicalJson({ b: 1, a: 'x' }) // '{"a":"x","b":1}'
 */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return encodeString(value);
    case 'number':
      if (!Number.isFinite(value)) {
        throw new AuditChainError('ERR_AUDIT_INVALID_STRING', 'JCS cannot encode NaN or Infinity');
      }
      return Object.is(value, -0) ? '0' : String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) return '[' + value.map(canonicalJson).join(',') + ']';
      // A Date, Map or class instance would serialise as "{}" and silently lose its content.
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        throw new AuditChainError('ERR_AUDIT_INVALID_STRING', `JCS encodes plain objects only, not a ${(value as object).constructor?.name ?? 'non-plain object'}`);
      }
      const keys = Object.keys(value).sort();
      let out = '{';
      let first = true;
      for (const k of keys) {
        const v = (value as Record<string, unknown>)[k];
        if (v === undefined) continue;
        out += (first ? '' : ',') + encodeString(k) + ':' + canonicalJson(v);
        first = false;
      }
      return out + '}';
    }
    default:
      throw new AuditChainError('ERR_AUDIT_INVALID_STRING', `JCS cannot encode a ${typeof value}`);
  }
}

function encodeString(s: string): string {
  if (!isWellFormed(s)) {
    throw new AuditChainError('ERR_AUDIT_INVALID_STRING', 'string contains a lone surrogate', {
      details: { sample: s.slice(0, 32) },
    });
  }
  return JSON.stringify(s);
}

// String.prototype.isWellFormed is Node >= 20 and current browsers; keep a fallback for older
// edge runtimes.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when `s` has no lone surrogates. */
export function isWellFormed(s: string): boolean {
  const native = (s as { isWellFormed?: () => boolean }).isWellFormed;
  return native ? native.call(s) : !LONE_SURROGATE.test(s);
}
