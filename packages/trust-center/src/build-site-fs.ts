import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, dev } from 'astro';
import { loadConfig } from './config/load-config-fs.js';
import { formatProblem, type ConfigProblem } from './config/problem.js';
import { TrustCenterError } from './errors.js';
import { trustCenter } from './integration.js';

export interface BuildSiteOptions {
  /** The YAML config. */
  config: string;
  /** Where the static site goes. */
  outDir: string;
  /** The build clock. */
  now: Date;
  /** Path prefix for the pages. @default '/' */
  base?: string;
  /** A private Ed25519 JWK; without it trust.json is unsigned. */
  signingKey?: unknown;
  /** Astro's log level. @default 'warn' */
  logLevel?: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  verifier?: boolean | 'auto';
  /** Build into a non-empty folder that is not a previous trust-center build. */
  force?: boolean;
}

/**
 * Builds a complete static trust center from one config with Astro's programmatic `build()`,
 * in a throwaway project so vendors need no Astro project of their own. A `public/` folder next
 * to the config (logos, PDFs) is copied as is.
 *
 * @throws {TrustCenterError} `ERR_TRUST_CONFIG_INVALID` or `ERR_TRUST_BUILD_FAILED`.
 */
export async function buildSite(options: BuildSiteOptions): Promise<{ warnings: ConfigProblem[]; outDir: string }> {
  const configPath = resolve(options.config);
  const loaded = await loadConfig(configPath, { now: options.now });
  if (!loaded.ok) throw new TrustCenterError('ERR_TRUST_CONFIG_INVALID', loaded.errors.map(formatProblem).join('\n\n'));

  assertSafeOutDir(resolve(options.outDir), configPath, options.force ?? false);

  // The throwaway project lives inside this package so that Vite resolves astro, react and our
  // own routes from it wherever the vendor's config is.
  const pkgRoot = packageRoot();
  const tmpBase = join(pkgRoot, '.tmp');
  await mkdir(tmpBase, { recursive: true });
  const root = await mkdtemp(join(tmpBase, 'site-'));
  const publicDir = join(dirname(configPath), 'public');
  const outDir = resolve(options.outDir);
  try {
    await build(
      {
        root,
        configFile: false,
        outDir,
        publicDir: existsSync(publicDir) ? publicDir : join(root, 'public'),
        site: new URL(loaded.config.organisation.trust_url).origin,
        logLevel: options.logLevel ?? 'warn',
        build: { format: 'directory', inlineStylesheets: 'always' },
        devToolbar: { enabled: false },
        integrations: [
          trustCenter({
            config: configPath,
            base: options.base ?? '/',
            now: options.now,
            ...(options.signingKey === undefined ? {} : { signingKey: options.signingKey }),
            verifier: options.verifier ?? 'auto',
          }),
        ],
      },
    );
  } catch (cause) {
    if (cause instanceof TrustCenterError) throw cause;
    throw new TrustCenterError('ERR_TRUST_BUILD_FAILED', `The site build failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  return { warnings: loaded.warnings, outDir };
}

function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !readFileSync(join(dir, 'package.json'), 'utf8').includes('"@stela/trust-center"')) {
    const up = dirname(dir);
    if (up === dir) throw new TrustCenterError('ERR_TRUST_BUILD_FAILED', 'Cannot find the @stela/trust-center package root.');
    dir = up;
  }
  return dir;
}

export interface DevSiteOptions {
  config: string;
  base?: string;
  port?: number;
  signingKey?: unknown;
}

/**
 * Serves the trust center with Astro's dev server. The config is watched: saving it restarts the
 * server with the new content, and errors show with file:line:column.
 */
export async function devSite(options: DevSiteOptions): Promise<{ url: string; stop: () => Promise<void> }> {
  const configPath = resolve(options.config);
  const tmpBase = join(packageRoot(), '.tmp');
  await mkdir(tmpBase, { recursive: true });
  // One project directory per config, reused across runs: Vite may exit the process on a
  // signal before stop() can remove it, so a fresh temp dir per run would pile up.
  const root = join(tmpBase, `dev-${createHash('sha256').update(configPath).digest('hex').slice(0, 12)}`);
  await mkdir(root, { recursive: true });
  const publicDir = join(dirname(configPath), 'public');
  const server = await dev({
    root,
    configFile: false,
    publicDir: existsSync(publicDir) ? publicDir : join(root, 'public'),
    logLevel: 'info',
    devToolbar: { enabled: false },
    server: { port: options.port ?? 4321, host: '127.0.0.1' },
    integrations: [
      trustCenter({
        config: configPath,
        base: options.base ?? '/',
        ...(options.signingKey === undefined ? {} : { signingKey: options.signingKey }),
      }),
    ],
  });
  const address = server.address;
  return {
    url: `http://127.0.0.1:${address.port}${options.base ?? '/'}`,
    stop: async () => {
      await server.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/**
 * Astro empties the output folder before it builds, so refuse folders whose loss would hurt:
 * the one holding the config, the working directory or its parents, and any non-empty folder
 * that is not a previous build (no trust.json) unless `force` is set.
 */
function assertSafeOutDir(outDir: string, configPath: string, force: boolean): void {
  const inside = (child: string, parent: string) => child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);
  const refuse = (why: string) => {
    throw new TrustCenterError('ERR_TRUST_BUILD_FAILED', `Refusing to build into ${outDir}: ${why} The build empties its output folder first.`);
  };
  if (inside(configPath, outDir)) refuse('it contains the config file.');
  if (inside(process.cwd(), outDir)) refuse('it is the working directory or one of its parents.');
  if (!force && existsSync(outDir) && readdirSync(outDir).length > 0 && !existsSync(join(outDir, 'trust.json'))) {
    refuse('it is not empty and does not look like a previous trust-center build. Pass --force to build there anyway.');
  }
}
