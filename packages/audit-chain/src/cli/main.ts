/**
 * @module `stela-audit`: the command-line tool for audit-chain exports (keygen, sample, verify,
 * inspect, checkpoint). `main` runs a command against injected output streams and returns the
 * exit code; this is the only file that touches `process`.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isAuditChainError } from '../errors.js';
import { checkpointCommand, CHECKPOINT_HELP } from './checkpoint.js';
import { inspectCommand, INSPECT_HELP } from './inspect.js';
import { EXIT, HINTS, exitCodeForCode, usageError, type CliIo } from './io.js';
import { keygenCommand, KEYGEN_HELP } from './keygen.js';
import { sampleCommand, SAMPLE_HELP } from './sample.js';
import { verifyCommand, VERIFY_HELP } from './verify.js';

export type { CliIo, TextSink } from './io.js';

const COMMANDS: Record<string, { run: (argv: readonly string[], io: CliIo) => Promise<number>; help: string }> = {
  keygen: { run: keygenCommand, help: KEYGEN_HELP },
  sample: { run: sampleCommand, help: SAMPLE_HELP },
  verify: { run: verifyCommand, help: VERIFY_HELP },
  inspect: { run: inspectCommand, help: INSPECT_HELP },
  checkpoint: { run: checkpointCommand, help: CHECKPOINT_HELP },
};

export const HELP = `Usage: stela-audit <command> [options]

Commands:
  keygen      create a checkpoint-signing key pair (private JWK + public audit-keys.json)
  sample      write a realistic signed sample export
  verify      verify an export offline: complete, unaltered, signed
  inspect     summarise an export without verifying it
  checkpoint  save an export's signed checkpoint, to catch later truncation or rewrites

Run stela-audit <command> --help for a command's options.

Exit codes: 0 success, 1 integrity failure, 2 usage or format error.
`;

function version(): string {
  try {
    // Same relative path from src/cli/main.ts and dist/cli/main.js.
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/**
 * Runs the CLI with `argv` (without the node and script paths) and returns the exit code: 0
 * success, 1 integrity failure, 2 usage or format error. Never throws; problems are written to
 * `io.stderr` as `stela-audit: <CODE>: <message>`.
 * @example process.exitCode = await main(['verify', 'export.csv', '--keys', 'audit-keys.json'], { stdout: process.stdout, stderr: process.stderr })
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h') {
      io.stdout.write(HELP);
      return name === undefined ? EXIT.usage : EXIT.ok;
    }
    if (name === '--version' || name === '-v') {
      io.stdout.write(`stela-audit ${version()}\n`);
      return EXIT.ok;
    }
    if (name === 'help') {
      const topic = rest[0];
      if (topic === undefined) io.stdout.write(HELP);
      else if (COMMANDS[topic]) io.stdout.write(COMMANDS[topic].help);
      else throw usageError(`unknown command ${JSON.stringify(topic)}`);
      return EXIT.ok;
    }
    const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!command) throw usageError(name.startsWith('-') ? `expected a command before ${name}` : `unknown command ${JSON.stringify(name)}`);
    return await command.run(rest, io);
  } catch (e) {
    if (isAuditChainError(e)) {
      io.stderr.write(`stela-audit: ${e.code}: ${e.message}\n`);
      const hint = (e.details?.hint as string | undefined) ?? HINTS[e.code];
      if (hint) io.stderr.write(`  hint: ${hint}\n`);
      return exitCodeForCode(e.code);
    }
    io.stderr.write(`stela-audit: internal error: ${(e as Error)?.message ?? String(e)}\n`);
    if (io.env?.STELA_AUDIT_DEBUG) io.stderr.write(`${(e as Error)?.stack ?? ''}\n`);
    else io.stderr.write('  hint: this is a bug in stela-audit; rerun with STELA_AUDIT_DEBUG=1 and report the output.\n');
    return EXIT.usage;
  }
}

function invokedDirectly(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

/** Runs the CLI on this process's arguments and streams; used by `bin/stela-audit.js`. */
export function runCli(): void {
  // A closed pipe (`stela-audit inspect big.csv | head`) is not an error worth a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env }).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`stela-audit: internal error: ${(e as Error)?.message ?? String(e)}\n`);
      process.exit(2);
    },
  );
}

if (invokedDirectly()) runCli();
