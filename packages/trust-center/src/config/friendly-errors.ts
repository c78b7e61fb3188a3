import type { z } from 'zod';
import type { ConfigPath, ConfigProblem } from './problem.js';

/**
 * Turns zod issues into problems a vendor can act on: a plain message, the field path and a
 * hint. A raw `ZodError` never reaches the user. Positions are added later by whoever holds the
 * source text (see `parse-yaml.ts`).
 */
export function friendlyIssues(issues: ReadonlyArray<z.core.$ZodIssue>, schema: z.ZodType): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const known = knownKeys(schema, issue.path);
        const near = closest(key, known);
        out.push({
          severity: 'error',
          code: 'ERR_TRUST_CONFIG_INVALID',
          path: [...issue.path.map(pathPart), key],
          at: 'key',
          message: `Unknown key "${key}".`,
          hint: near ? `Did you mean "${near}"?` : known.length ? `Allowed keys here: ${known.join(', ')}.` : undefined,
        });
      }
      continue;
    }
    out.push({ severity: 'error', code: 'ERR_TRUST_CONFIG_INVALID', path: issue.path.map(pathPart), ...describe(issue) });
  }
  return out;
}

function pathPart(p: PropertyKey): string | number {
  return typeof p === 'number' ? p : String(p);
}

function describe(issue: z.core.$ZodIssue): { message: string; hint?: string } {
  const last = issue.path[issue.path.length - 1];
  switch (issue.code) {
    case 'invalid_type': {
      const input = (issue as { input?: unknown }).input;
      if (input === undefined) {
        const parent = issue.path.length > 1 ? issue.path[issue.path.length - 2] : undefined;
        const where = typeof parent === 'string' ? ` under "${parent}"` : typeof parent === 'number' ? ' to this item' : ' at the top level';
        return {
          message: `Missing required key "${String(last)}".`,
          hint: `Add "${String(last)}:"${where}.`,
        };
      }
      return { message: `Expected ${article(issue.expected)}, got ${kind(input)}.`, hint: typeHint(issue.expected, input) };
    }
    case 'invalid_value': {
      const input = (issue as { input?: unknown }).input;
      const options = issue.values.map((v) => String(v));
      const near = typeof input === 'string' ? closest(input, options) : undefined;
      return {
        message: `${JSON.stringify(input)} is not allowed here.`,
        hint: `${near ? `Did you mean "${near}"? ` : ''}Use one of: ${options.join(', ')}.`,
      };
    }
    case 'invalid_union':
      return { message: 'This value does not match any allowed shape.' };
    case 'too_small':
      if (issue.origin === 'array') return { message: `Add at least ${String(issue.minimum)} item(s) here.` };
      if (issue.origin === 'string') return { message: 'This text must not be empty.' };
      return { message: `Must be at least ${String(issue.minimum)}.` };
    case 'too_big':
      if (issue.origin === 'array') return { message: `At most ${String(issue.maximum)} item(s) are allowed here.` };
      if (issue.origin === 'string') return { message: `Keep this under ${String(issue.maximum)} characters.` };
      return { message: `Must be at most ${String(issue.maximum)}.` };
    case 'invalid_format': {
      const input = (issue as { input?: unknown }).input;
      const msg = issue.message && !issue.message.startsWith('Invalid') ? issue.message : `Expected a valid ${issue.format}.`;
      return { message: `${msg} Got ${JSON.stringify(input)}.`, hint: formatHint(issue.format) };
    }
    default: {
      const input = (issue as { input?: unknown }).input;
      return { message: input === undefined ? issue.message : `${issue.message} Got ${JSON.stringify(input)}.` };
    }
  }
}

function formatHint(format: string): string | undefined {
  if (format === 'date') return 'Write dates as YYYY-MM-DD, e.g. 2026-03-31. Quote them if your editor rewrites them.';
  if (format === 'url') return 'Write the full URL including https://.';
  if (format === 'regex') return undefined;
  return undefined;
}

function typeHint(expected: string, input: unknown): string | undefined {
  if (expected === 'array' && typeof input === 'string') return 'Write a list: start each item on its own line with "- ".';
  if (expected === 'string' && typeof input === 'number') return 'Quote the value so YAML reads it as text, e.g. "2.1".';
  if (expected === 'string' && typeof input === 'boolean') return 'YAML reads yes/no/true/false as booleans; quote the value.';
  if (expected === 'object' && typeof input === 'string') return 'This key takes nested keys, indented on the following lines.';
  return undefined;
}

function article(expected: string): string {
  const names: Record<string, string> = { string: 'text', number: 'a number', int: 'a whole number', boolean: 'true or false', array: 'a list', object: 'a mapping of keys' };
  return names[expected] ?? expected;
}

function kind(input: unknown): string {
  if (input === null) return 'an empty value';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a mapping';
  if (typeof input === 'string') return `the text ${JSON.stringify(input)}`;
  return `${typeof input} ${JSON.stringify(input)}`;
}

/** The keys an object schema accepts at `path`, unwrapping defaults, optionals and arrays. */
export function knownKeys(schema: z.ZodType, path: ReadonlyArray<PropertyKey>): string[] {
  let node: unknown = schema;
  for (const part of [...path, null]) {
    node = unwrap(node);
    const def = (node as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
    if (!def) return [];
    if (part === null) return def.type === 'object' ? Object.keys(def.shape as object) : [];
    if (def.type === 'object' && typeof part === 'string') node = (def.shape as Record<string, unknown>)[part];
    else if (def.type === 'array') node = def.element;
    else return [];
  }
  return [];
}

function unwrap(node: unknown): unknown {
  let current = node;
  for (;;) {
    const def = (current as { _zod?: { def?: { type?: string; innerType?: unknown; in?: unknown } } })._zod?.def;
    if (!def) return current;
    if (def.type === 'optional' || def.type === 'default' || def.type === 'nullable' || def.type === 'prefault') current = def.innerType;
    else if (def.type === 'pipe') current = def.in;
    else return current;
  }
}

/** The candidate within edit distance 2 (or 1/3 of the length), if any. */
export function closest(word: string, candidates: ReadonlyArray<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

export type { ConfigPath };
