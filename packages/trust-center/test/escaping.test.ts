import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { buildSite } from '../src/build-site-fs.js';
import { NOW } from './helpers.js';

process.env.ASTRO_TELEMETRY_DISABLED = '1';
process.env.ASTRO_DISABLE_UPDATE_CHECK = 'true';

const tmpRoot = fileURLToPath(new URL('../.tmp/', import.meta.url));
mkdirSync(tmpRoot, { recursive: true });
const dir = mkdtempSync(join(tmpRoot, 'escaping-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const EVIL = '</script><script>alert(1)</script><img src=x onerror=alert(2)>';

function htmlFiles(root: string): string[] {
  return readdirSync(root).flatMap((name) => {
    const p = join(root, name);
    return statSync(p).isDirectory() ? htmlFiles(p) : name.endsWith('.html') ? [p] : [];
  });
}

// Config text is vendor-controlled, but a trust center is exactly the page an attacker would
// like to deface through a compromised config PR: nothing in it may become markup.
it('never turns config text into markup, in pages or JSON-LD', async () => {
  const config = join(dir, 'trust.yaml');
  writeFileSync(
    config,
    `schema_version: 1
organisation:
  name: ${JSON.stringify(`Evil ${EVIL}`)}
  website: https://evil.example
  trust_url: https://evil.example/trust
  contacts:
    security: security@evil.example
intro: ${JSON.stringify(`Intro ${EVIL} [click](javascript:alert(3))`)}
controls:
  sections:
    - id: s
      title: ${JSON.stringify(EVIL)}
      items:
        - title: ${JSON.stringify(EVIL)}
          status: in_place
          details: ${JSON.stringify(`**bold** ${EVIL}`)}
disclosure:
  policy: ${JSON.stringify(EVIL)}
questionnaire:
  categories:
    - id: q
      title: Q
      questions:
        - question: ${JSON.stringify(EVIL)}
          answer: ${JSON.stringify(EVIL)}
          reviewed_at: 2026-05-01
`,
  );
  const out = join(dir, 'site');
  await buildSite({ config, outDir: out, now: NOW, logLevel: 'error', verifier: false });
  for (const file of htmlFiles(out)) {
    // Text inside a quoted attribute value is inert (Astro escapes quotes and ampersands), so
    // look only at what is outside attribute values.
    const raw = readFileSync(file, 'utf8');
    const html = raw.replace(/="[^"]*"/g, '=""');
    expect(html, file).not.toContain('<script>alert');
    expect(html, file).not.toContain('<img src=x');
    expect(raw, file).not.toMatch(/href="\s*javascript:/i);
  }
  const index = readFileSync(join(out, 'index.html'), 'utf8');
  expect(index).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  const ld = /<script type="application\/ld\+json">(.*?)<\/script>/s.exec(index)![1]!;
  expect(JSON.parse(ld).name).toBe(`Evil ${EVIL}`);
});
