#!/usr/bin/env node
/**
 * @module The `stela-trust` command: init, check, build and dev. The only file that turns
 * problems into exit codes and calls `process.exit`.
 */
import { existsSync, realpathSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/load-config-fs.js';
import { formatProblem } from '../config/problem.js';
import { TrustCenterError } from '../errors.js';
import { starterConfig } from './starter-config.js';

/** Where output goes; injected so tests can capture it. */
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  env: Record<string, string | undefined>;
  now: () => Date;
  cwd: string;
}

const USAGE = `Usage: stela-trust <command> [options]

Commands:
  init [file]                     Write a starter config (default trust.yaml)
  check <config>                  Validate and lint freshness; exit 1 on errors
  build <config> --out <dir>      Build the static site
  dev <config>                    Serve the site with reload on config changes

Options:
  --out <dir>            Output directory for build (default dist)
  --base <path>          Path prefix for the pages, e.g. /trust (default /)
  --signing-key <file>   Private Ed25519 JWK that signs trust.json
                         (or set STELA_TRUST_SIGNING_KEY to the JWK or a path)
  --now <iso>            Build clock, for reproducible builds (default: now)
  --strict               check: treat warnings as errors
  --force                init: overwrite an existing file;
                         build: build into a non-empty folder that is not a previous build
  --port <n>             dev: port (default 4321)
`;

/**
 * Runs the CLI and returns the exit code: 0 success, 1 config errors (or warnings with
 * --strict), 2 usage or environment errors.
 */
export async function main(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        base: { type: 'string' },
        'signing-key': { type: 'string' },
        now: { type: 'string' },
        strict: { type: 'boolean' },
        force: { type: 'boolean' },
        port: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    io.err(`${e instanceof Error ? e.message : String(e)}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, target] = positionals;
  if (values.help || !command) {
    io.out(USAGE);
    return command || values.help ? 0 : 2;
  }
  const now = values.now ? new Date(values.now) : io.now();
  if (Number.isNaN(now.getTime())) {
    io.err(`--now must be an ISO 8601 date or timestamp, got "${values.now}".`);
    return 2;
  }

  try {
    switch (command) {
      case 'init': {
        const file = resolve(io.cwd, target ?? 'trust.yaml');
        if (existsSync(file) && !values.force) {
          io.err(`${file} already exists. Use --force to overwrite it.`);
          return 2;
        }
        await writeFile(file, starterConfig({ now }));
        io.out(`Wrote ${file}.\nNext: stela-trust build ${target ?? 'trust.yaml'} --out dist`);
        return 0;
      }
      case 'check': {
        if (!target) return usage(io, 'check needs a config file.');
        const result = await loadConfig(target, { now, cwd: io.cwd });
        const errors = result.ok ? [] : result.errors;
        for (const p of [...errors, ...result.warnings]) io.err(`${formatProblem(p)}\n`);
        io.out(`${errors.length} error(s), ${result.warnings.length} warning(s) in ${target}.`);
        if (errors.length) return 1;
        return values.strict && result.warnings.length ? 1 : 0;
      }
      case 'build': {
        if (!target) return usage(io, 'build needs a config file.');
        const { buildSite } = await loadBuilder('production', io);
        const signingKey = await readSigningKey(values['signing-key'], io);
        const out = resolve(io.cwd, values.out ?? 'dist');
        const { warnings } = await buildSite({
          config: resolve(io.cwd, target),
          outDir: out,
          now,
          ...(values.base ? { base: values.base } : {}),
          ...(signingKey === undefined ? {} : { signingKey }),
          ...(values.force ? { force: true } : {}),
        });
        // Warnings were already logged by the integration during the build.
        io.out(`Built ${out} ${warnings.length ? `with ${warnings.length} warning(s) ` : ''}(${signingKey === undefined ? 'trust.json unsigned: pass --signing-key or set STELA_TRUST_SIGNING_KEY to sign it' : 'trust.json signed'}).`);
        return 0;
      }
      case 'dev': {
        if (!target) return usage(io, 'dev needs a config file.');
        const { devSite } = await loadBuilder('development', io);
        const signingKey = await readSigningKey(values['signing-key'], io);
        const server = await devSite({
          config: resolve(io.cwd, target),
          ...(values.base ? { base: values.base } : {}),
          ...(values.port ? { port: Number(values.port) } : {}),
          ...(signingKey === undefined ? {} : { signingKey }),
        });
        io.out(`Serving at ${server.url}. Edit ${target} and the site reloads. Ctrl-C to stop.`);
        // Stop cleanly (and remove the throwaway project) on Ctrl-C or a termination signal.
        await new Promise<void>((done) => {
          for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void server.stop().then(done, done));
        });
        return 0;
      }
      default:
        return usage(io, `Unknown command "${command}".`);
    }
  } catch (e) {
    if (e instanceof TrustCenterError) {
      io.err(`${e.code}\n${e.message}`);
      return e.code === 'ERR_TRUST_CONFIG_INVALID' ? 1 : 2;
    }
    throw e;
  }
}

/**
 * Loads Astro and React only once NODE_ENV is settled: React picks its development or
 * production build when first imported, and a mix of the two fails at render time.
 */
async function loadBuilder(mode: 'production' | 'development', io: CliIo): Promise<typeof import('../build-site-fs.js')> {
  io.env.NODE_ENV ??= mode;
  if (io.env === process.env) process.env.NODE_ENV ??= mode;
  return import('../build-site-fs.js');
}

function usage(io: CliIo, message: string): number {
  io.err(`${message}\n\n${USAGE}`);
  return 2;
}

async function readSigningKey(path: string | undefined, io: CliIo): Promise<unknown> {
  const fromEnv = io.env.STELA_TRUST_SIGNING_KEY;
  const source = path ?? fromEnv;
  if (!source) return undefined;
  const text = source.trim().startsWith('{') ? source : await readFile(resolve(io.cwd, source), 'utf8').catch((cause: unknown) => {
    throw new TrustCenterError('ERR_TRUST_SIGNING_KEY_INVALID', `Cannot read the signing key at ${source}.`, { cause });
  });
  try {
    return JSON.parse(text);
  } catch (cause) {
    // Never echo the key material itself.
    throw new TrustCenterError('ERR_TRUST_SIGNING_KEY_INVALID', 'The signing key is not valid JSON (expected a private Ed25519 JWK).', { cause });
  }
}

// npm links bins through symlinks, so compare real paths.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  process.env.ASTRO_TELEMETRY_DISABLED ??= '1';
  process.env.ASTRO_DISABLE_UPDATE_CHECK ??= 'true';
  const code = await main(process.argv.slice(2), {
    out: (l) => process.stdout.write(`${l}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
    env: process.env,
    now: () => new Date(),
    cwd: process.cwd(),
  });
  process.exit(code);
}
