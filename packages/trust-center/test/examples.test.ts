import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildSite } from '../src/build-site-fs.js';
import { formatProblem, safeParseTrustYaml } from '../src/config/index.js';
import { TRUST_PAGES } from '../src/integration.js';

process.env.ASTRO_TELEMETRY_DISABLED = '1';
process.env.ASTRO_DISABLE_UPDATE_CHECK = 'true';

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

  it.each(names)('%s builds every page and file', async (name) => {
    const out = fileURLToPath(new URL(`../.tmp/examples/${name}/`, import.meta.url));
    await buildSite({ config: fileURLToPath(new URL(`${name}/trust.yaml`, dir)), outDir: out, now: EXAMPLES_NOW, logLevel: 'error' });
    for (const [path] of TRUST_PAGES) expect(existsSync(join(out, path, 'index.html')), `${name}: /${path}`).toBe(true);
    for (const file of ['trust.json', 'subprocessors.json', 'feed.xml', '.well-known/security.txt']) expect(existsSync(join(out, file)), `${name}: ${file}`).toBe(true);
  });
});
