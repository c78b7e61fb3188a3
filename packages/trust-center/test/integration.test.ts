import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'astro';
import { describe, expect, it } from 'vitest';
import { defineTrustConfig } from '../src/config/index.js';
import { trustCenter } from '../src/integration.js';
import { NOW, scratchDirs } from './helpers.js';

process.env.ASTRO_TELEMETRY_DISABLED = '1';
process.env.ASTRO_DISABLE_UPDATE_CHECK = 'true';

const { tmpRoot, track } = scratchDirs();
const minimal = fileURLToPath(new URL('./fixtures/minimal.yaml', import.meta.url));

describe('trustCenter() in an existing Astro site', () => {
  it('injects the pages under base, overrides a component, and writes .well-known at the root', async () => {
    mkdirSync(tmpRoot, { recursive: true });
    const root = track(mkdtempSync(join(tmpRoot, 'astro-site-')));
    mkdirSync(join(root, 'src/pages'), { recursive: true });
    writeFileSync(join(root, 'src/pages/index.astro'), '<html lang="en"><head><title>Home</title></head><body><a href="/trust/">Trust</a></body></html>\n');
    writeFileSync(join(root, 'MyFooter.astro'), '---\nconst { config } = Astro.props;\n---\n<footer>Custom footer for {config.organisation.name}</footer>\n');
    writeFileSync(join(root, 'trust.yaml'), readFileSync(minimal, 'utf8'));
    await build({
      root,
      configFile: false,
      logLevel: 'error',
      integrations: [trustCenter({ config: './trust.yaml', base: '/trust', now: NOW, verifier: false, components: { Footer: './MyFooter.astro' } })],
    });
    const dist = join(root, 'dist');
    expect(readFileSync(join(dist, 'index.html'), 'utf8')).toContain('href="/trust/"');
    const page = readFileSync(join(dist, 'trust/index.html'), 'utf8');
    expect(page).toContain('Custom footer for Tidewell');
    expect(page).toContain('href="/trust/controls/"');
    for (const p of ['trust/controls/index.html', 'trust/verify/index.html', 'trust/trust.json', 'trust/feed.xml', 'trust/subprocessors.json', '.well-known/security.txt']) {
      expect(existsSync(join(dist, p)), p).toBe(true);
    }
    expect(readFileSync(join(dist, 'trust/verify/index.html'), 'utf8')).toContain('stela-audit verify');
  });

  it('prefixes links with Astro\'s own base', async () => {
    const root = track(mkdtempSync(join(tmpRoot, 'astro-site-')));
    writeFileSync(join(root, 'trust.yaml'), readFileSync(minimal, 'utf8'));
    await build({ root, configFile: false, base: '/docs', logLevel: 'error', integrations: [trustCenter({ base: '/trust', now: NOW, verifier: false })] });
    const page = readFileSync(join(root, 'dist/trust/index.html'), 'utf8');
    expect(page).toContain('href="/docs/trust/controls/"');
    expect(page).toContain('href="/docs/.well-known/security.txt"');
    expect(page).toContain('href="/docs/trust/trust.json"');
  });

  it('accepts a config written in TypeScript', async () => {
    const root = track(mkdtempSync(join(tmpRoot, 'astro-site-')));
    const config = defineTrustConfig({
      schema_version: 1,
      organisation: { name: 'Typed Co', website: 'https://typed.example', trust_url: 'https://typed.example/trust', contacts: { security: 'security@typed.example' } },
      disclosure: { policy: 'Email us.' },
    });
    await build({ root, configFile: false, logLevel: 'error', integrations: [trustCenter({ config, now: NOW, verifier: false })] });
    expect(readFileSync(join(root, 'dist/index.html'), 'utf8')).toContain('Typed Co trust center');
  });

  it('rejects bad options with a friendly message', () => {
    expect(() => trustCenter({ base: 'trust/' })).toThrowErrorMatchingInlineSnapshot(`
      [TrustCenterError: error ERR_TRUST_CONFIG_INVALID at trustCenter() options
        base: base must start with "/" and contain only lower-case path segments, e.g. "/trust". Got "trust/".]
    `);
  });

  it('stops the build with positioned config errors', async () => {
    const root = track(mkdtempSync(join(tmpRoot, 'astro-site-')));
    writeFileSync(join(root, 'trust.yaml'), readFileSync(minimal, 'utf8').replace('website: https://tidewell.example', 'website: tidewell.example'));
    await expect(build({ root, configFile: false, logLevel: 'silent', integrations: [trustCenter({ now: NOW, verifier: false })] })).rejects.toThrow(/trust\.yaml:4:12[\s\S]*organisation\.website/);
  });
});
