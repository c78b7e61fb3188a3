/**
 * @module `@stela/audit-chain/verify-node`: Node-only helpers around the isomorphic
 * `verifyExport`, for verifying an export straight from disk.
 */
import { open, stat, type FileHandle } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { createWorkerRunner, type WorkerRunner } from './verify-runner-node.js';
import { AuditChainError } from './errors.js';
import { verifyExport, type VerifyOptions, type VerifyReport } from './verify.js';

/** Options for `verifyFile`: those of `verifyExport`, plus the read size. */
export interface VerifyFileOptions extends VerifyOptions {
  /**
   * Bytes per read (default 64 KiB; 256 KiB with `workers`, to fill the workers' batches).
   * Measured inline on a 200k-row sample, Node 22, 2 vCPUs: 64 KiB and 256 KiB within noise of
   * each other (60k-83k and 68k-80k rows/s, three runs each); before the byte-level row path, 1 MiB
   * reads cost half the rate in garbage collection (21% of the profile against 6% at 64 KiB).
   */
  readonly chunkSize?: number;
  /**
   * Verify row batches on worker threads as well as this one (`true`: one worker per core besides
   * this thread; a number: that many workers). Off by default, for the smaller footprint. Measured
   * on the 2-vCPU CI machine kind, 1M-row sample export (./run bench, bench/results/): one worker
   * and this thread 6.9-10.1 s (99k-145k rows/s, nine runs) against 10.3-18.4 s inline, for
   * 129-137 MB peak RSS against 92-95 MB.
   * Ignored when `runner` is given; falls back to inline where no worker script exists.
   */
  readonly workers?: boolean | number;
}

/** Default read size; see `VerifyFileOptions.chunkSize`. */
export const DEFAULT_CHUNK_SIZE = 64 * 1024;

/** Read size with `workers`, a multiple of the Node worker runner's 256 KiB batches. */
const WORKERS_CHUNK_SIZE = 256 * 1024;

/**
 * Verifies an export file, streaming it in constant memory.
 * @throws AuditChainError `ERR_AUDIT_USAGE` when the path is missing or a directory,
 * `ERR_AUDIT_INPUT_UNREADABLE` when the file cannot be read (permissions, I/O), and
 * `ERR_AUDIT_RUNNER_FAILED` when a worker fails. Everything about the file's content is reported,
 * not thrown.
 * @example
 * const report = await verifyFile('export.csv', { keys: JSON.parse(await readFile('audit-keys.json', 'utf8')) });
 * process.exitCode = exitCodeFor(report);
 */
export async function verifyFile(path: string, options: VerifyFileOptions = {}): Promise<VerifyReport> {
  const { workers = false, ...rest } = options;
  const { chunkSize = workers === false ? DEFAULT_CHUNK_SIZE : WORKERS_CHUNK_SIZE, ...verifyOptions } = rest;
  const handle = await openFile(path);
  let own: WorkerRunner | undefined;
  try {
    if (workers !== false && verifyOptions.runner === undefined && availableParallelism() > 1) {
      try {
        own = createWorkerRunner(typeof workers === 'number' ? { workers } : {});
      } catch {
        // Running from the TypeScript sources, where the worker script does not exist: verify inline.
      }
    }
    const stream = handle.createReadStream({ highWaterMark: chunkSize, autoClose: false });
    return await verifyExport(stream, own ? { ...verifyOptions, runner: own } : verifyOptions);
  } finally {
    await own?.close();
    await handle.close();
  }
}

async function openFile(path: string): Promise<FileHandle> {
  let info;
  try {
    info = await stat(path);
  } catch (e) {
    throw fileError(path, e);
  }
  if (info.isDirectory()) throw new AuditChainError('ERR_AUDIT_USAGE', `${path} is a directory, not an export file`);
  try {
    return await open(path, 'r');
  } catch (e) {
    throw fileError(path, e);
  }
}

function fileError(path: string, e: unknown): AuditChainError {
  const code = (e as { code?: string }).code;
  const why =
    code === 'ENOENT' ? 'no such file'
    : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
    : code === 'EISDIR' ? 'it is a directory'
    : code === 'ENOTDIR' ? 'a part of the path is not a directory'
    : (e as Error).message;
  // A path that is not there is a usage error; a file that is there but cannot be read is not.
  const unreadable = code === 'EACCES' || code === 'EPERM' || code === 'EIO';
  return new AuditChainError(unreadable ? 'ERR_AUDIT_INPUT_UNREADABLE' : 'ERR_AUDIT_USAGE', `cannot read ${path}: ${why}`, { cause: e });
}
