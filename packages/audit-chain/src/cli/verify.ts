/** `stela-audit verify`: checks an export offline and explains what the result means. */
import { exitCodeFor, verifyExport, type VerifyReport } from '../verify.js';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { verifyFile } from '../verify-node.js';
import { onePositional, parseCommandArgs } from './args.js';
import { fileSize, readSmallText } from './files.js';
import { cliError, EXIT, HINTS, usageError, type CliIo } from './io.js';
import { loadPublicKeys } from './keys-file.js';
import { createProgress } from './progress.js';
import { formatVerifyReport } from './report-text.js';
import { parseTrustedCheckpoint } from './trusted-checkpoint.js';

export const VERIFY_HELP = `Usage: stela-audit verify <file> [--keys <jwks-file>] [--trusted-checkpoint <file>] [--json]

Verifies a stela.audit/csv/v1 export (<file>, or - for standard input) offline: every row's
hash and personal-data commitments, the hash chain, the sequence, the Merkle root against the
signed checkpoint, the signature and key, and (with --trusted-checkpoint) that the log still
contains a checkpoint you saved before.

Options:
  --keys <file>                the vendor's public key set (audit-keys.json), from a source you
                               trust such as their trust center. Without it, the key embedded in
                               the export is used and the result says the key is not trusted.
  --trusted-checkpoint <file>  a checkpoint you saved earlier (see stela-audit checkpoint); an
                               export shorter than it or rewritten since fails. Needs --keys.
  --workers <n>                worker threads to verify on besides the one reading the file,
                               0 to 64 (0: all on this thread). Default: one fewer than the
                               cores for files of 8 MiB and more on a machine with several,
                               else 0.
  --chunk-size <bytes>         bytes per read, 1024 to 67108864 (default 64 KiB, 256 KiB with
                               workers); for tuning, the result does not depend on it
  --json                       print the report as JSON on stdout
  -h, --help                   show this help

Exit codes: 0 verified, 1 integrity failure (altered, incomplete or wrongly signed),
            2 usage or format error (unreadable file, not an export, bad key file).
`;

/** Files this large or larger are verified on worker threads unless --workers says otherwise. */
const AUTO_WORKERS_BYTES = 8 * 1024 * 1024;

/**
 * The worker script. The CLI is one bundle (dist/cli/main.js), so the script is the library's,
 * one folder up; run from the TypeScript sources there is none, and the file is verified here.
 */
const WORKER_URL = new URL('../verify-worker-node.js', import.meta.url);

/** Verifying worker threads for `count` (undefined: one fewer than the cores); 0 where there can be none. */
function workerCount(count: number | undefined): number {
  if (count === 0 || availableParallelism() < 2 || !existsSync(fileURLToPath(WORKER_URL))) return 0;
  return count ?? availableParallelism() - 1;
}

/** Runs `verify`; returns the exit code. */
export async function verifyCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('verify', argv, {
    keys: { type: 'string' },
    'trusted-checkpoint': { type: 'string' },
    json: { type: 'boolean' },
    workers: { type: 'string' },
    'chunk-size': { type: 'string' },
  });
  if (values.help) {
    io.stdout.write(VERIFY_HELP);
    return EXIT.ok;
  }
  const file = onePositional('verify', positionals, 'export file');
  const keysFile = values.keys as string | undefined;
  const trustedFile = values['trusted-checkpoint'] as string | undefined;
  if (trustedFile !== undefined && keysFile === undefined) {
    throw cliError('ERR_AUDIT_USAGE', '--trusted-checkpoint needs --keys too, so that the export cannot vouch for itself', "pass the vendor's audit-keys.json with --keys.");
  }
  let chunkSize: number | undefined;
  if (values['chunk-size'] !== undefined) {
    chunkSize = Number(values['chunk-size']);
    if (!Number.isSafeInteger(chunkSize) || chunkSize < 1024 || chunkSize > 64 << 20) throw usageError('--chunk-size must be a byte count from 1024 to 67108864', 'verify');
  }
  let workers: number | undefined;
  if (values.workers !== undefined) {
    workers = Number(values.workers);
    if (!Number.isSafeInteger(workers) || workers < 0 || workers > 64) throw usageError('--workers must be a whole number from 0 to 64', 'verify');
  }
  const keys = keysFile === undefined ? undefined : await loadPublicKeys(keysFile);
  const trustedCheckpoint =
    trustedFile === undefined ? undefined : parseTrustedCheckpoint(await readSmallText(trustedFile, 'a checkpoint JWS', 'ERR_AUDIT_TRUSTED_CHECKPOINT_INVALID'), trustedFile);
  if (file === '-' && !io.stdin) throw usageError('no standard input to read', 'verify');
  const size = file === '-' ? 0 : await fileSize(file);

  const progress = createProgress(io.stderr, 'verifying', size, 'bytes');
  const started = Date.now();
  let report: VerifyReport;
  // Worker threads pay off on large files: ./run bench has the figures (bench/results/).
  const threads = file === '-' ? 0 : workerCount(workers ?? (size >= AUTO_WORKERS_BYTES ? undefined : 0));
  try {
    const options = {
      ...(keys !== undefined ? { keys } : {}),
      ...(trustedCheckpoint !== undefined ? { trustedCheckpoint } : {}),
      onProgress: (p: { bytes: number; rows: number }) => progress.update(p.bytes, p.rows),
    };
    report =
      file === '-'
        ? await verifyExport(io.stdin!, options)
        : await verifyFile(file, { ...options, ...(threads > 0 ? { workers: threads, workerUrl: WORKER_URL } : {}), ...(chunkSize !== undefined ? { chunkSize } : {}) });
  } finally {
    progress.finish();
  }
  const elapsedMs = Date.now() - started;
  const code = exitCodeFor(report);

  if (values.json) io.stdout.write(JSON.stringify({ file, elapsedMs, workers: threads, ...report }, null, 2) + '\n');
  else if (code !== EXIT.usage) io.stdout.write(formatVerifyReport(report, { file, elapsedMs, keysFile, trustedFile }));
  if (!report.ok) {
    const f = report.failure;
    const where = f && f.row > 0 ? `row ${f.row}${f.seq !== undefined ? ` (seq ${f.seq})` : ''}: ` : '';
    io.stderr.write(`stela-audit: ${report.code}: ${file}: ${where}${report.message}\n`);
    const hint = report.code ? HINTS[report.code] : undefined;
    if (hint) io.stderr.write(`  hint: ${hint}\n`);
  }
  return code;
}
