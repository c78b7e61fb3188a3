/**
 * @module The Astro integration: `trustCenter({ config: './trust.yaml', base: '/trust' })` adds the
 * trust-center pages, feeds and standards files to an existing Astro site.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@astrojs/react';
import type { AstroIntegration } from 'astro';
import { loadConfig } from './config/load-config-fs.js';
import { safeParseTrustConfig, type ConfigResult } from './config/parse-config.js';
import { formatProblem } from './config/problem.js';
import { friendlyIssues } from './config/friendly-errors.js';
import { emitJsonLd } from './emit/json-ld.js';
import { emitSite, type SiteFile } from './emit/emit-site.js';
import { TrustCenterError } from './errors.js';
import { TrustCenterOptionsSchema, type TrustCenterOptions } from './integration-options.js';
import type { SiteData } from './site-data.js';
import { detectVerifier } from './verifier-fs.js';

const CONFIG_MODULE = 'virtual:@stela/trust-center/config';
const PACKAGE = '@stela/trust-center/';
// Routes and components ship as source under src/. They are injected by resolved path rather
// than by specifier: a vendor running `npx stela-trust` has no node_modules that could resolve
// '@stela/trust-center/...' from the throwaway project root.
const SOURCE_DIR = new URL(import.meta.url.endsWith('.ts') ? './' : '../src/', import.meta.url);

/** `@stela/trust-center/routes/index.astro` → the file inside this package. */
function packageFile(specifier: string): string {
  return fileURLToPath(new URL(specifier.slice(PACKAGE.length), SOURCE_DIR));
}
const COMPONENTS_MODULE = 'virtual:@stela/trust-center/components';

/** The pages, as `[path under base, route file]`. */
export const TRUST_PAGES: ReadonlyArray<readonly [string, string]> = [
  ['', 'index.astro'],
  ['controls', 'controls.astro'],
  ['subprocessors', 'subprocessors.astro'],
  ['compliance', 'compliance.astro'],
  ['privacy', 'privacy.astro'],
  ['questionnaire', 'questionnaire.astro'],
  ['disclosure', 'disclosure.astro'],
  ['updates', 'updates.astro'],
  ['verify', 'verify.astro'],
];

/**
 * Creates the integration.
 *
 * @throws {TrustCenterError} `ERR_TRUST_CONFIG_INVALID` with file:line:column for every problem.
 * @example
 * ```ts
 * // astro.config.mjs
 * import { defineConfig } from 'astro/config';
 * import { trustCenter } from '@stela/trust-center/integration';
 * export default defineConfig({ integrations: [trustCenter({ config: './trust.yaml', base: '/trust' })] });
 * ```
 */
export function trustCenter(userOptions: TrustCenterOptions = {}): AstroIntegration {
  const parsed = TrustCenterOptionsSchema.safeParse(userOptions, { reportInput: true });
  if (!parsed.success) {
    throw new TrustCenterError('ERR_TRUST_CONFIG_INVALID', friendlyIssues(parsed.error.issues, TrustCenterOptionsSchema).map((p) => formatProblem({ ...p, file: 'trustCenter() options' })).join('\n\n'));
  }
  const options = parsed.data;
  const base = options.base === '/' ? '' : options.base;
  let files: SiteFile[] = [];
  let watched: string | undefined;
  let astroBase = '';

  return {
    name: '@stela/trust-center',
    hooks: {
      'astro:config:setup': async ({ config: astro, command, addWatchFile, injectRoute, updateConfig, logger }) => {
        // Step 1: find the config relative to the project root, and restart dev when it changes.
        // A config passed as an object (TypeScript) is validated the same way, without positions.
        const root = fileURLToPath(astro.root);
        const now = options.now ?? new Date();
        let loaded: ConfigResult;
        if (typeof options.config === 'string') {
          const configPath = resolve(root, options.config);
          addWatchFile(configPath);
          watched = configPath;
          // Step 2: parse → normalise → rules, against one clock for the whole build. Errors
          // stop the build with file:line:column; warnings are logged and the build goes on.
          loaded = await loadConfig(configPath, { now, cwd: process.cwd() });
        } else {
          loaded = safeParseTrustConfig(options.config, { now });
        }
        if (!loaded.ok) {
          throw new TrustCenterError('ERR_TRUST_CONFIG_INVALID', `The trust-center config has ${loaded.errors.length} problem(s):\n\n${loaded.errors.map(formatProblem).join('\n\n')}`);
        }
        for (const w of loaded.warnings) logger.warn(formatProblem(w));

        // Step 3: the machine-readable files, in memory. Written after the build, served in dev.
        const emitted = await emitSite(loaded.config, { now, ...(options.signingKey === undefined ? {} : { signingKey: options.signingKey }) });
        files = emitted.files;
        if (command === 'build') logger.info(emitted.signed ? `trust.json signed with key ${emitted.kid}.` : 'trust.json is unsigned: pass a signing key to publish trust.json.jws.');

        // Step 4: the verify page's island needs @stela/audit-chain's verifier and a renderer.
        const verifier = options.verifier === 'auto' ? detectVerifier() : options.verifier;
        if (!verifier && options.verifier === 'auto') logger.warn('The in-browser verifier is not built: @stela/audit-chain does not export verifyExport.');
        if (verifier && !astro.integrations.some((i) => i.name === '@astrojs/react')) updateConfig({ integrations: [react()] });

        // Step 5: hand the validated config and the component map to the pages via virtual modules.
        // Links carry Astro's own `base` (a site served under /docs); files and routes do not.
        astroBase = astro.base.replace(/\/$/, '');
        const data: SiteData = {
          config: loaded.config,
          now: now.toISOString(),
          base: `${astroBase}${base}`,
          root: astroBase,
          warnings: loaded.warnings,
          signed: emitted.signed,
          verifier,
          jsonLd: emitJsonLd(loaded.config, { now }),
        };
        const component = (spec: string) => (spec.startsWith(PACKAGE) ? packageFile(spec) : spec.startsWith('.') || isAbsolute(spec) ? resolve(root, spec) : spec);
        const componentsModule = Object.entries(options.components)
          .map(([name, spec]) => `export { default as ${name} } from ${JSON.stringify(component(spec))};`)
          .join('\n');
        updateConfig({
          vite: {
            plugins: [
              {
                name: '@stela/trust-center:virtual',
                resolveId(id: string) {
                  if (id === CONFIG_MODULE || id === COMPONENTS_MODULE) return `\0${id}`;
                  return undefined;
                },
                load(id: string) {
                  if (id === `\0${CONFIG_MODULE}`) return `export default ${JSON.stringify(data)};`;
                  if (id === `\0${COMPONENTS_MODULE}`) return componentsModule;
                  return undefined;
                },
              },
            ],
          },
        });

        // Running from TypeScript source (inside the Stela workspace), resolve workspace packages
        // through the `@stela/source` condition as the tests do. Published builds skip this.
        if (import.meta.url.endsWith('.ts')) {
          updateConfig({
            vite: {
              plugins: [
                {
                  name: '@stela/trust-center:source-condition',
                  configEnvironment(name: string, env: { consumer?: string; resolve?: { conditions?: string[] } }) {
                    const server = env.consumer === 'server' || name === 'ssr' || name === 'prerender';
                    const conditions = env.resolve?.conditions ?? (server ? ['module', 'node', 'development|production'] : ['module', 'browser', 'development|production']);
                    return { resolve: { conditions: ['@stela/source', ...conditions.filter((c) => c !== '@stela/source')] } };
                  },
                },
              ],
            },
          });
        }

        // Step 6: inject the pages; they ship as source.
        for (const [path, file] of TRUST_PAGES) {
          if (file === 'verify.astro' && !verifier) {
            injectRoute({ pattern: `${base}/verify`, entrypoint: packageFile(`${PACKAGE}routes/verify-unavailable.astro`) });
            continue;
          }
          injectRoute({ pattern: `${base}/${path}`.replace(/\/$/, '') || '/', entrypoint: packageFile(`${PACKAGE}routes/${file}`) });
        }
      },

      'astro:server:setup': ({ server }) => {
        // Astro restarts on a watch file only when Vite's watcher reports it, and Vite watches
        // the project root; a config elsewhere (the CLI's case) must be added explicitly.
        if (watched) server.watcher.add(watched);
        // Dev serves the same in-memory files the build writes.
        server.middlewares.use((req, res, next) => {
          const url = (req.url ?? '').split('?')[0] ?? '';
          const file = files.find((f) => url === sitePath(f.path, base) || url === `${astroBase}${sitePath(f.path, base)}`);
          if (!file) return next();
          res.setHeader('content-type', file.contentType);
          res.end(file.body);
        });
      },

      'astro:build:done': async ({ dir }) => {
        const out = fileURLToPath(dir);
        for (const file of files) {
          const target = join(out, sitePath(file.path, base));
          await mkdir(dirname(target), { recursive: true });
          await writeFile(target, file.body);
        }
      },
    },
  };
}

/** `.well-known` files live at the origin root (RFC 8615); the rest under the base. */
function sitePath(path: string, base: string): string {
  return path.startsWith('.well-known/') ? `/${path}` : `${base}/${path}`;
}

export { TrustCenterOptionsSchema, ComponentOverridesSchema } from './integration-options.js';
export type { TrustCenterOptions, ComponentOverrides } from './integration-options.js';
export default trustCenter;
