import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatProblem, safeParseTrustYaml } from '../src/config/index.js';

const dir = new URL('../../../examples/trust/', import.meta.url);
const names = readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
// The examples are dated around late 2026; this clock keeps the test independent of today.
const EXAMPLES_NOW = new Date('2026-11-20T12:00:00Z');

describe('examples/trust', () => {
  it('has one example per reference page plus the kitchen sink', () => {
    expect(names.sort()).toEqual(['crateyard', 'pinecall', 'quillstack', 'tidewell']);
  });

  it.each(names)('%s validates', (name) => {
    const file = fileURLToPath(new URL(`${name}/trust.yaml`, dir));
    const result = safeParseTrustYaml(readFileSync(file, 'utf8'), { now: EXAMPLES_NOW, file: `${name}/trust.yaml` });
    if (!result.ok) throw new Error(result.errors.map(formatProblem).join('\n'));
    const expected = name === 'tidewell' ? ['WARN_TRUST_CERT_EXPIRED'] : [];
    expect(result.warnings.map((w) => w.code)).toEqual(expected);
  });

  it('together they use every top-level section', () => {
    const used = new Set<string>();
    for (const name of names) {
      const result = safeParseTrustYaml(readFileSync(fileURLToPath(new URL(`${name}/trust.yaml`, dir)), 'utf8'), { now: EXAMPLES_NOW });
      if (!result.ok) continue;
      const raw = readFileSync(fileURLToPath(new URL(`${name}/trust.yaml`, dir)), 'utf8');
      for (const m of raw.matchAll(/^([a-z_]+):/gm)) used.add(m[1]!);
    }
    const all = ['organisation', 'intro', 'highlights', 'controls', 'subprocessors', 'compliance', 'data', 'identity', 'audit_logging', 'privacy', 'incident_response', 'disclosure', 'questionnaire', 'documents', 'updates', 'custom_sections', 'branding'];
    expect(all.filter((k) => !used.has(k))).toEqual([]);
  });
});
