import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRUST_PAGES } from '../src/integration.js';
import { serveStatic } from './static-server.js';

// End to end: build an example, serve it like a static host, and open every page in Debian's
// headless Chromium. The browser is never downloaded; it must exist at /usr/bin/chromium.
process.env.ASTRO_TELEMETRY_DISABLED = '1';
process.env.ASTRO_DISABLE_UPDATE_CHECK = 'true';

const CHROMIUM = '/usr/bin/chromium';
const EXAMPLES_NOW = new Date('2026-11-20T12:00:00Z');
const RFC8037_PRIVATE = { kty: 'OKP', crv: 'Ed25519', d: 'nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' };
const PAGE_BUDGET = 100 * 1024;

const tmp = fileURLToPath(new URL('../.tmp/e2e/', import.meta.url));
const shots = join(tmp, 'screenshots');
const example = fileURLToPath(new URL('../../../examples/trust/tidewell/trust.yaml', import.meta.url));
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let browser: Browser;
let server: { origin: string; close: () => Promise<void> };
const weights: Record<string, number> = {};

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium); the test never downloads a browser.`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(shots, { recursive: true });
  // Build with the real CLI in a fresh Node process, as a vendor would: the test runner's
  // NODE_ENV=test must not leak React's development build into the site.
  const cli = fileURLToPath(new URL('../scripts/stela-trust-source.mjs', import.meta.url));
  const { NODE_ENV: _testEnv, ...env } = process.env;
  const run = spawnSync(process.execPath, [cli, 'build', example, '--out', join(tmp, 'site'), '--now', EXAMPLES_NOW.toISOString()], {
    encoding: 'utf8',
    env: { ...env, STELA_TRUST_SIGNING_KEY: JSON.stringify(RFC8037_PRIVATE) },
  });
  expect(run.status, run.stderr).toBe(0);
  expect(run.stdout).toContain('trust.json signed');
  server = await serveStatic(join(tmp, 'site'));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  writeFileSync(join(tmp, 'page-weights.json'), `${JSON.stringify(weights, null, 2)}\n`);
});

/** Opens a page, recording every request and the bytes each response carried. */
async function open(path: string): Promise<{ page: Page; foreign: string[]; bytes: number; scripts: string[]; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  const foreign: string[] = [];
  const scripts: string[] = [];
  const errors: string[] = [];
  let bytes = 0;
  const pending: Promise<void>[] = [];
  page.on('request', (req) => {
    const url = req.url();
    if (!url.startsWith(server.origin) && !url.startsWith('data:') && !url.startsWith('blob:')) foreign.push(url);
    if (req.resourceType() === 'script') scripts.push(url);
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('response', (res) => {
    pending.push(res.body().then((b) => void (bytes += b.length), () => undefined));
  });
  const response = await page.goto(`${server.origin}${path}`, { waitUntil: 'networkidle' });
  expect(response?.status(), path).toBe(200);
  await Promise.all(pending);
  return { page, foreign, bytes, scripts, errors };
}

describe('built site in headless Chromium', () => {
  it.each(TRUST_PAGES.map(([p]) => p))('/%s: no third-party requests, no cookies, axe clean, within budget', async (p) => {
    const path = p ? `/${p}/` : '/';
    const { page, foreign, bytes, scripts, errors } = await open(path);
    expect(errors, 'console errors').toEqual([]);
    expect(foreign, 'third-party requests').toEqual([]);
    expect(await page.context().cookies(), 'cookies').toEqual([]);
    expect(await page.evaluate(() => document.cookie)).toBe('');

    // Only the verify island and the questionnaire's search enhancement may ship JavaScript.
    const inlineScripts = await page.$$eval('script:not([type="application/ld+json"])', (els) => els.length);
    if (p !== 'verify' && p !== 'questionnaire') {
      expect(scripts, 'script requests').toEqual([]);
      expect(inlineScripts, 'inline scripts').toBe(0);
    }

    weights[path] = bytes;
    if (p !== 'verify') expect(bytes, `${path} weighs ${bytes} bytes`).toBeLessThan(PAGE_BUDGET);

    await page.addScriptTag({ content: axeSource });
    const results = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> }> } }).axe;
      return axe.run(document, { resultTypes: ['violations'] });
    });
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(serious).toEqual([]);

    await page.screenshot({ path: join(shots, `${p || 'index'}.png`), fullPage: true });
    await page.context().close();
  });

  it('renders expired certificates as expired, never as current', async () => {
    const { page } = await open('/compliance/');
    const card = page.locator('#iso27701');
    await expect(card.locator('.badge').textContent()).resolves.toBe('Expired');
    await expect(card.textContent()).resolves.toContain('It is not current');
    await expect(page.locator('#iso27001 .badge').textContent()).resolves.toBe('Certified');
    await page.context().close();
  });

  it('filters the questionnaire as you type, and shows every answer without JavaScript', async () => {
    const { page } = await open('/questionnaire/');
    await page.fill('#qa-q', 'stored');
    await expect(page.locator('[data-qa]:visible').count()).resolves.toBe(1);
    await expect(page.locator('[data-qa-count]').textContent()).resolves.toBe('1 of 2 answers');
    await page.context().close();

    const noJs = await browser.newContext({ javaScriptEnabled: false });
    const plain = await noJs.newPage();
    await plain.goto(`${server.origin}/questionnaire/`);
    await expect(plain.locator('[data-qa]:visible').count()).resolves.toBe(2);
    await expect(plain.locator('[data-qa-search]').isHidden()).resolves.toBe(true);
    await noJs.close();
  });

  it('checks the trust.json signature in the browser', async () => {
    const { page, errors } = await open('/verify/');
    await page.getByTestId('trust-check').click();
    await page.locator('[data-testid="trust-check-status"][data-ok]').waitFor();
    await expect(page.getByTestId('trust-check-status').getAttribute('data-ok')).resolves.toBe('true');
    await expect(page.getByTestId('trust-check-status').textContent()).resolves.toContain('Signature valid');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('prints without navigation and with link targets', async () => {
    const { page } = await open('/subprocessors/');
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('nav[aria-label="Trust center"]').isHidden()).resolves.toBe(true);
    await page.screenshot({ path: join(shots, 'subprocessors-print.png'), fullPage: true });
    await page.context().close();
  });

  it('serves the logo from the site itself (public/ next to the config)', async () => {
    const res = await fetch(`${server.origin}/logo.svg`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<svg');
  });

  it('serves the machine-readable files next to the pages', async () => {
    const get = async (p: string) => {
      const res = await fetch(`${server.origin}${p}`);
      expect(res.status, p).toBe(200);
      return res.text();
    };
    const txt = await get('/.well-known/security.txt');
    expect(txt).toContain('Expires: 2027-05-19T00:00:00.000Z');
    const trust = await get('/trust.json');
    const jws = (await get('/trust.json.jws')).trim();
    expect(jws.split('.')[1]).toBe(Buffer.from(trust).toString('base64url'));
    expect(JSON.parse(await get('/.well-known/audit-keys.json')).keys[0].kid).toBe('kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k');
    expect(JSON.parse(await get('/subprocessors.json')).subprocessors).toHaveLength(4);
    expect(await get('/feed.xml')).toContain('Sub-processor added: Pagerly');
    const html = await get('/');
    const ld = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)![1]!);
    expect(ld.hasCertification.map((c: { name: string; certificationStatus: string }) => `${c.name}: ${c.certificationStatus.split('/').pop()}`)).toContain('ISO/IEC 27701: CertificationInactive');
  });
});

// The verify page checks a real export from `stela-audit sample`, made by @stela/audit-chain's
// built CLI (`./run test` builds before vitest; run alone, this fails with a clear message).
const stelaAudit = fileURLToPath(new URL('../../audit-chain/dist/cli/main.js', import.meta.url));
describe('verify page with a real stela-audit sample', () => {
  it('accepts the real export and rejects a tampered copy, on Web Workers, without uploading it', async () => {
    expect(existsSync(stelaAudit), 'build @stela/audit-chain first: ./run pnpm --filter @stela/audit-chain build').toBe(true);
    const dir = join(tmp, 'verify');
    mkdirSync(dir, { recursive: true });
    const keyFile = join(dir, 'audit-key.private.jwk');
    writeFileSync(keyFile, JSON.stringify(RFC8037_PRIVATE));
    const sample = join(dir, 'sample.csv');
    const run = spawnSync(process.execPath, [stelaAudit, 'sample', '--rows', '2000', '--key', keyFile, '--out', sample], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const original = readFileSync(sample, 'utf8');
    const lines = original.split('\n');
    const i = Math.floor(lines.length / 2);
    lines[i] = lines[i]!.replace(/org_acme/, 'org_evil').replace(/success/, 'failure');
    const tampered = join(dir, 'tampered.csv');
    writeFileSync(tampered, lines.join('\n'));

    // The published JWKS is exactly what `stela-audit verify --keys` accepts.
    const keys = join(tmp, 'site/.well-known/audit-keys.json');
    const cliOk = spawnSync(process.execPath, [stelaAudit, 'verify', sample, '--keys', keys], { encoding: 'utf8' });
    expect(cliOk.status, cliOk.stdout + cliOk.stderr).toBe(0);
    const cliBad = spawnSync(process.execPath, [stelaAudit, 'verify', tampered, '--keys', keys], { encoding: 'utf8' });
    expect(cliBad.status).not.toBe(0);

    const { page, foreign, errors } = await open('/verify/');
    expect(errors).toEqual([]);
    const workers: string[] = [];
    page.on('worker', (w) => workers.push(w.url()));
    const uploads: string[] = [];
    page.on('request', (r) => {
      if (r.method() !== 'GET') uploads.push(`${r.method()} ${r.url()}`);
    });
    const status = page.getByTestId('verify-status');
    await page.getByTestId('verify-input').setInputFiles(sample);
    await expect(status.and(page.locator('[data-phase="done"]')).waitFor({ timeout: 30_000 })).resolves.toBeUndefined();
    await expect(status.getAttribute('data-ok')).resolves.toBe('true');
    await expect(status.textContent()).resolves.toContain('published by this vendor');
    await page.screenshot({ path: join(shots, 'verify-ok.png'), fullPage: true });

    await page.getByTestId('verify-input').setInputFiles(tampered);
    await page.locator('[data-testid="verify-status"][data-ok="false"]').waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(shots, 'verify-tampered.png'), fullPage: true });
    expect(uploads).toEqual([]);
    expect(foreign).toEqual([]);
    // Row batches ran on the bundled verifier workers, not only on the page's thread.
    expect(workers.some((u) => /verify-worker-web/.test(u)), `workers started: ${JSON.stringify(workers)}`).toBe(true);
    await page.context().close();
  });
});
