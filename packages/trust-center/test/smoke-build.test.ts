import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { it, expect } from 'vitest';
import { buildSite } from '../src/build-site-fs.js';
import { NOW } from './helpers.js';

process.env.ASTRO_TELEMETRY_DISABLED = '1';
process.env.ASTRO_DISABLE_UPDATE_CHECK = 'true';

it('builds the minimal config', async () => {
  const out = fileURLToPath(new URL('../.tmp/smoke-out', import.meta.url));
  await buildSite({ config: fileURLToPath(new URL('./fixtures/minimal.yaml', import.meta.url)), outDir: out, now: NOW, logLevel: 'info' });
  expect(readdirSync(out)).toContain('index.html');
});
