// The hand-written fast path of parseEntryInput must never accept what EntryInputSchema rejects,
// and must return exactly what the schema returns (same keys, same order, same values).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EntryInputSchema, fastParseEntry } from '../src/entry-input.js';
import { sampleEvents } from '../src/sample.js';
import { FULL_ENTRY } from './helpers.js';

/** Keys in order, recursively, so key order and present-but-undefined keys are compared too. */
function shape(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(shape);
  if (v instanceof Date || typeof v !== 'object' || v === null) return v;
  return Object.keys(v).map((k) => [k, shape((v as Record<string, unknown>)[k])]);
}

function agrees(input: unknown): boolean {
  const fast = fastParseEntry(input);
  const slow = EntryInputSchema.safeParse(input);
  if (fast === undefined) return true;
  expect(slow.success).toBe(true);
  expect(shape(fast)).toStrictEqual(shape(slow.data));
  return true;
}

const base = FULL_ENTRY;

describe('fastParseEntry', () => {
  it('takes every generated sample entry and returns what the schema returns', () => {
    let n = 0;
    for (const e of sampleEvents({ rows: 2_000, seed: 'fast-path' })) {
      if (e.kind !== 'entry') continue;
      expect(fastParseEntry(e.entry)).toBeDefined();
      agrees(e.entry);
      n++;
    }
    expect(n).toBeGreaterThan(1_000);
  });

  it.each([
    ['present-but-undefined optionals', { occurredAt: undefined, target: undefined, context: undefined, metadata: undefined, erasableMetadata: undefined }],
    ['undefined members inside objects', { actor: { type: 'u', id: '1', display: undefined, email: undefined }, context: { ip: undefined } }],
    ['unknown keys', { extra: 1, actor: { type: 'u', id: '1', more: 2 } }],
    ['numeric metadata keys', { metadata: { b: 1, 10: 2, 2: 3, a: undefined }, erasableMetadata: ['10'] }],
    ['an inherited erasable name', { metadata: {}, erasableMetadata: ['toString'] }],
    ['a Date', { occurredAt: new Date('2026-01-01T00:00:00Z') }],
    ['an invalid Date', { occurredAt: new Date(Number.NaN) }],
    ['a year-10000 date', { occurredAt: '+010000-01-01T00:00:00Z' }],
    ['a lower-case timestamp', { occurredAt: '2026-01-01t00:00:00.5z' }],
    ['a __proto__ metadata key', { metadata: JSON.parse('{"__proto__": {"x": 1}, "a": 1}') }],
    ['a null-prototype metadata object', { metadata: Object.assign(Object.create(null), { a: 1 }) }],
    ['a metadata key named constructor', { metadata: { constructor: 'x' } }],
    ['a hidden metadata key', { metadata: Object.defineProperty({ a: 1 }, 'h', { value: 2, enumerable: false }) }],
    ['a class instance as actor', { actor: new (class { type = 'u'; id = 'x'; })() }],
    ['a sparse erasable list', { erasableMetadata: ['version', , 'size'] }],
    ['metadata at the size limit', { metadata: { b: 'é'.repeat(8_000) } }],
    ['metadata just over the limit', { metadata: { b: 'é'.repeat(8_200) } }],
    ['an e-mail without @', { actor: { type: 'u', id: '1', email: 'nobody' } }],
    ['an empty display', { target: { type: 't', id: '1', display: '' } }],
    ['a long ip', { context: { ip: '1'.repeat(46) } }],
    ['a control character', { tenant: 'a\u0085' }],
  ])('agrees with the schema on %s', (_what, patch) => {
    agrees({ ...base, ...patch });
  });

  it('agrees with the schema on arbitrary entries', () => {
    const str = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('', 'a', 'a.b', 'x@y', '\u0007', '\ud800', '1.2.3.4', '2026-05-01T00:00:00Z'));
    const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
    const entry = fc.record(
      {
        tenant: str,
        action: fc.oneof(str, fc.constantFrom('skill.viewed', 'Skill.viewed')),
        outcome: fc.constantFrom('success', 'failure', 'denied', 'ok'),
        occurredAt: opt(fc.oneof(str, fc.date({ noInvalidDate: false }))),
        actor: fc.oneof(fc.record({ type: str, id: str, display: opt(str), email: opt(str) }, { requiredKeys: [] }), fc.constant(null)),
        target: opt(fc.record({ type: str, id: str, display: opt(str) }, { requiredKeys: [] })),
        context: opt(fc.record({ ip: opt(str), userAgent: opt(str), requestId: opt(str) }, { requiredKeys: [] })),
        metadata: opt(fc.dictionary(str, fc.jsonValue({ maxDepth: 2 }))),
        erasableMetadata: opt(fc.array(str, { maxLength: 3 })),
      },
      { requiredKeys: [] },
    );
    fc.assert(fc.property(entry, agrees), { numRuns: 3_000 });
  });
});
