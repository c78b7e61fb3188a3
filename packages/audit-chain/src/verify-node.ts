/**
 * @module `@stela/audit-chain/verify-node`: Node-only helpers around the isomorphic
 * `verifyExport`, for verifying an export straight from disk.
 */
import { existsSync } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { createWorkerRunner, type WorkerRunner } from './verify-runner-node.js';
import { AuditChainError, isAuditChainError, type AuditErrorCode } from './errors.js';
// The verifier itself (and with it zod and jose, ~25 MB of a process's memory once loaded) is
// imported when a file is verified on this thread, so a caller that hands the work to the
// reading thread never loads it.
import type { VerifyOptions, VerifyReport } from './verify.js';

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
   * Verify on worker threads (`true`: one verifying worker per core besides the reading thread;
   * a number: that many). Off by default, for the smaller footprint. The whole verification then
   * runs on a thread of its own with a small young generation, which reads the file, verifies
   * batches too and merges the results, while the calling thread only waits: in alternating runs
   * on the 2-vCPU CI machine kind, 1M sample rows, 1.15x the rows per second of the same workers
   * with the calling thread reading, for about 19 MB more peak RSS (136 MB against 117 MB: one
   * more thread, which loads the verifier again). Ignored when
   * `runner` is given (then everything runs on the calling thread with that runner); falls back
   * to inline where no worker script exists.
   */
  readonly workers?: boolean | number;
  /**
   * The worker script, as for `createWorkerRunner`. Default: `verify-worker-node.js` next to
   * this module in the built package. A bundle that moves this module elsewhere passes it.
   */
  readonly workerUrl?: string | URL;
}

/**
 * Young generation of the reading thread, in MB. V8 gives a main thread up to 16 MB semi-spaces;
 * on the reading thread of a worker-thread verification that made the verifier slower and larger.
 * Measured on the 2-vCPU CI machine kind, 1M-row sample, one verifying worker, alternating runs
 * (before the verifier reused its buffers, which has since cut every figure's RSS):
 * on the calling thread 137k-148k rows/s and 148-153 MB peak RSS; on a thread of its own with a
 * 48 MB young generation 126k rows/s, 163 MB; 12 MB 167k, 136 MB; 6 MB 184k-195k, 127-130 MB.
 */
const READER_YOUNG_GENERATION_MB = 6;

/** @internal What the reading thread is told (the worker script's `workerData` with `role: 'file'`). */
export interface FileThreadRequest {
  readonly role: 'file';
  readonly path: string;
  readonly options: { keys?: unknown; trustedCheckpoint?: string; chunkSize?: number; workers: true | number; workerUrl: string };
  readonly progress: boolean;
}

/** @internal What the reading thread sends back. */
export type FileThreadMessage =
  | { readonly progress: { bytes: number; rows: number } }
  | { readonly report: VerifyReport }
  | { readonly error: { code?: AuditErrorCode; message: string } };

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
  const { workers = false, workerUrl, ...rest } = options;
  const handle = await openFile(path);
  const url = workerUrl ?? new URL('./verify-worker-node.js', import.meta.url);
  if (workers !== false && rest.runner === undefined && availableParallelism() > 1 && scriptExists(url)) {
    await handle.close();
    const thread = startFileThread(path, rest, workers, url);
    if (thread) return thread;
    // Options a thread cannot take (keys that do not survive structured cloning): verify here.
    return verifyHere(await openFile(path), { ...rest, workers, workerUrl: url });
  }
  return verifyHere(handle, { ...rest, workers, workerUrl: url });
}

/**
 * Verifies on this thread, with worker threads for batches when `workers` asks for them. The
 * reading thread runs this too.
 */
async function verifyHere(handle: FileHandle, options: VerifyFileOptions): Promise<VerifyReport> {
  const { workers = false, workerUrl, ...rest } = options;
  const { chunkSize = workers === false ? DEFAULT_CHUNK_SIZE : WORKERS_CHUNK_SIZE, ...verifyOptions } = rest;
  let own: WorkerRunner | undefined;
  try {
    if (workers !== false && verifyOptions.runner === undefined && availableParallelism() > 1) {
      try {
        own = createWorkerRunner({ ...(typeof workers === 'number' ? { workers } : {}), ...(workerUrl ? { workerUrl } : {}) });
      } catch {
        // Running from the TypeScript sources, where the worker script does not exist: verify inline.
      }
    }
    const { verifyExport, REUSES_CHUNKS } = await import('./verify.js');
    const chunks = Object.assign(readInto(handle, chunkSize), { [REUSES_CHUNKS]: true });
    return await verifyExport(chunks, own ? { ...verifyOptions, runner: own } : verifyOptions);
  } finally {
    await own?.close();
    await handle.close();
  }
}

/**
 * The file's bytes, read into two buffers in turn, the next read running while the verifier
 * works on the last one: no new buffer per read. (A read stream allocates one per read; with
 * worker threads that churn made peak RSS creep up with the size of the file.)
 */
async function* readInto(handle: FileHandle, size: number): AsyncGenerator<Uint8Array> {
  const buffers = [new Uint8Array(size), new Uint8Array(size)];
  let turn = 0;
  let next = handle.read(buffers[turn]!, 0, size, null);
  try {
    for (;;) {
      const { bytesRead } = await next;
      if (bytesRead === 0) return;
      const filled = buffers[turn]!;
      turn ^= 1;
      next = handle.read(buffers[turn]!, 0, size, null);
      yield filled.subarray(0, bytesRead);
    }
  } finally {
    // Stopped early: let the read in flight finish quietly before the handle closes.
    await next.catch(() => undefined);
  }
}

/** Whether the worker script is there; a string is a path, as for `createWorkerRunner`. */
function scriptExists(url: string | URL): boolean {
  if (typeof url === 'string') return existsSync(url);
  return url.protocol !== 'file:' || existsSync(fileURLToPath(url));
}

/**
 * Runs the verification on a worker thread of its own (`verify-worker-node.js` with
 * `role: 'file'`). Null when the options cannot be sent to a thread.
 */
function startFileThread(path: string, options: VerifyOptions & { chunkSize?: number }, workers: true | number, url: string | URL): Promise<VerifyReport> | null {
  const { keys, trustedCheckpoint, chunkSize, onProgress } = options;
  const request: FileThreadRequest = {
    role: 'file',
    path,
    options: {
      ...(keys !== undefined ? { keys } : {}),
      ...(trustedCheckpoint !== undefined ? { trustedCheckpoint } : {}),
      ...(chunkSize !== undefined ? { chunkSize } : {}),
      workers,
      workerUrl: typeof url === 'string' ? pathToFileURL(url).href : url.href,
    },
    progress: onProgress !== undefined,
  };
  let worker: Worker;
  try {
    worker = new Worker(url, { workerData: request, resourceLimits: { maxYoungGenerationSizeMb: READER_YOUNG_GENERATION_MB } });
  } catch (e) {
    if ((e as { name?: string }).name === 'DataCloneError') return null;
    throw new AuditChainError('ERR_AUDIT_RUNNER_FAILED', `the verifier thread would not start: ${(e as Error)?.message ?? String(e)}`, { cause: e });
  }
  return new Promise<VerifyReport>((resolve, reject) => {
    let settled = false;
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      // The thread ends by itself once it has reported; it must not keep this process alive.
      worker.unref();
      f();
    };
    const failed = (why: string, cause?: unknown) =>
      finish(() => reject(new AuditChainError('ERR_AUDIT_RUNNER_FAILED', `the verifier thread failed: ${why}`, cause === undefined ? undefined : { cause })));
    worker.on('message', (m: FileThreadMessage) => {
      if ('progress' in m) {
        // A callback that throws must not become an uncaught exception of this process: the
        // verification stops and verifyFile rejects with what it threw.
        try {
          onProgress?.(m.progress);
        } catch (e) {
          finish(() => reject(e));
          void worker.terminate();
        }
      } else if ('report' in m) finish(() => resolve(m.report));
      else finish(() => reject(m.error.code ? new AuditChainError(m.error.code, m.error.message) : new AuditChainError('ERR_AUDIT_RUNNER_FAILED', `the verifier thread failed: ${m.error.message}`)));
    });
    worker.on('error', (e) => failed((e as Error)?.message ?? String(e), e));
    worker.on('exit', (code) => failed(`it exited with code ${code} before reporting`));
  });
}

/** @internal The reading thread's side (run by `verify-worker-node.js`): verifies as asked and reports back on `post`. */
export async function runFileThread(request: FileThreadRequest, post: (m: FileThreadMessage) => void): Promise<void> {
  try {
    const report = await verifyHere(await openFile(request.path), {
      ...request.options,
      workerUrl: new URL(request.options.workerUrl),
      ...(request.progress ? { onProgress: (progress: { bytes: number; rows: number }) => post({ progress }) } : {}),
    });
    post({ report });
  } catch (e) {
    post({ error: { message: (e as Error)?.message ?? String(e), ...(isAuditChainError(e) ? { code: e.code } : {}) } });
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
