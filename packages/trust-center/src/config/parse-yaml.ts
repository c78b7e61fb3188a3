import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { TrustCenterError } from '../errors.js';
import { safeParseTrustConfig, type ConfigResult } from './parse-config.js';
import { formatProblem, type ConfigPath, type ConfigProblem } from './problem.js';
import type { TrustConfig } from './schema.js';

/**
 * Parses trust-center YAML and validates it, attaching `file:line:column` to every error and
 * warning. YAML syntax errors come back as problems too.
 *
 * @example
 * ```ts
 * const result = safeParseTrustYaml(source, { file: 'trust.yaml', now: new Date('2026-06-01T00:00:00Z') });
 * ```
 */
export function safeParseTrustYaml(source: string, options: { now: Date; file?: string }): ConfigResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => lineCounter.linePos(offset);
  if (doc.errors.length) {
    return {
      ok: false,
      warnings: [],
      errors: doc.errors.map((e) => {
        const pos = at(e.pos[0]);
        return {
          severity: 'error',
          code: 'ERR_TRUST_YAML_SYNTAX',
          path: [],
          message: e.message.split('\n')[0] ?? e.message,
          hint: e.code === 'DUPLICATE_KEY' ? 'Each key may appear once in a mapping.' : 'Check the indentation and quoting around this line.',
          ...(options.file ? { file: options.file } : {}),
          line: pos.line,
          column: pos.col,
        } satisfies ConfigProblem;
      }),
    };
  }
  const result = safeParseTrustConfig(doc.toJS(), { now: options.now });
  const place = (p: ConfigProblem): ConfigProblem => {
    const offset = locate(doc, p.path, p.at ?? 'value');
    const pos = offset === undefined ? undefined : at(offset);
    const { at: _at, ...rest } = p;
    return { ...rest, ...(options.file ? { file: options.file } : {}), ...(pos ? { line: pos.line, column: pos.col } : {}) };
  };
  return result.ok
    ? { ...result, warnings: result.warnings.map(place) }
    : { ok: false, errors: result.errors.map(place), warnings: result.warnings.map(place) };
}

/**
 * Like `safeParseTrustYaml`, but throws on errors.
 *
 * @throws {TrustCenterError} `ERR_TRUST_CONFIG_INVALID`, with every problem in the message.
 */
export function parseTrustYaml(source: string, options: { now: Date; file?: string }): { config: TrustConfig; warnings: ConfigProblem[] } {
  const result = safeParseTrustYaml(source, options);
  if (!result.ok) throw new TrustCenterError('ERR_TRUST_CONFIG_INVALID', result.errors.map(formatProblem).join('\n\n'));
  return { config: result.config, warnings: result.warnings };
}

/**
 * The source offset for a path: a scalar value when the value itself is wrong, otherwise the
 * key, else the nearest ancestor that exists (a missing key points at its parent's key).
 */
function locate(doc: Document, path: ConfigPath, at: 'key' | 'value'): number | undefined {
  for (let n = path.length; n > 0; n--) {
    const parent = n === 1 ? doc.contents : doc.getIn(path.slice(0, n - 1), true);
    const key = path[n - 1];
    if (isMap(parent)) {
      const pair = parent.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === key);
      if (!pair) continue;
      const value = pair.value as Node | null;
      if (n === path.length && at === 'value' && isScalar(value) && value.range) return value.range[0];
      return (pair.key as Node).range?.[0];
    }
    if (isSeq(parent) && typeof key === 'number') {
      const item = parent.items[key] as Node | undefined;
      if (item?.range) return item.range[0];
    }
  }
  return (doc.contents as Node | null)?.range?.[0];
}
