/**
 * @module `@stela/audit-chain/verify-runner-web`: runs the verifier's row batches on Web Workers,
 * so a browser page verifies a large export on every core and keeps its main thread responsive.
 * The same worker pool drives Node's worker threads in `verify-runner-node`.
 */
import { AuditChainError, type AuditErrorCode } from './errors.js';
import type { RowBatchRunner } from './verify.js';
import { verifyRowBatch, type RowBatch, type RowBatchResult } from './verify-rows.js';

/** A runner that owns workers: close it when done (it also closes itself on a worker crash). */
export interface WorkerRunner extends RowBatchRunner {
  /** Number of workers. */
  readonly workers: number;
  /** Stops the workers; batches still queued or running reject. Idempotent. */
  close(): Promise<void>;
}

/** What a worker sends back for one batch. Leaf hashes travel as a transferred ArrayBuffer. */
export type WorkerReply =
  | { readonly id: number; readonly result: RowBatchResult }
  | { readonly id: number; readonly error: { readonly message: string; readonly code?: AuditErrorCode } };

/** What the main thread sends a worker. */
export interface WorkerRequest {
  readonly id: number;
  readonly batch: RowBatch;
}

/** @internal A batch's bytes go to the worker by transfer (the verifier hands over a copy it owns). */
export function transferList(request: WorkerRequest): ArrayBuffer[] {
  const { bytes, owned } = request.batch;
  if (!bytes || !(bytes.buffer instanceof ArrayBuffer)) return [];
  return owned || (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) ? [bytes.buffer] : [];
}

/**
 * A worker's reply to `request` with `result`, and what to transfer: the leaf hashes, and an owned
 * batch's bytes handed back for reuse (so the verifier allocates no new batch buffers, which on
 * Node made peak RSS creep up with the rows verified).
 */
export function replyFor(id: number, batch: RowBatch, result: RowBatchResult): { reply: WorkerReply; transfer: ArrayBuffer[] } {
  const transfer = [result.leafHashes.buffer as ArrayBuffer];
  if (batch.owned && batch.bytes && batch.bytes.buffer instanceof ArrayBuffer && batch.bytes.buffer !== result.leafHashes.buffer) {
    transfer.push(batch.bytes.buffer);
    return { reply: { id, result: { ...result, bytes: batch.bytes } }, transfer };
  }
  return { reply: { id, result }, transfer };
}

/** The pool's view of one worker, whatever the platform. */
export interface BatchWorker {
  post(request: WorkerRequest): void;
  /** Called with false while the worker has work and true when it waits (Node unrefs idle threads). */
  idle?(idle: boolean): void;
  terminate(): Promise<unknown> | void;
}

/** Options for `createWebWorkerRunner`. */
export interface WebWorkerRunnerOptions {
  /** Number of workers. Default: `navigator.hardwareConcurrency`, at least 1. */
  readonly workers?: number;
  /**
   * The worker script: `verify-worker-web.js` of this package, or your bundler's URL for it.
   * Default: `new URL('./verify-worker-web.js', import.meta.url)`, a pattern Vite, webpack 5
   * and Parcel recognise and bundle.
   */
  readonly workerUrl?: string | URL;
}

interface Task {
  readonly batch: RowBatch;
  readonly resolve: (r: RowBatchResult) => void;
  readonly reject: (e: unknown) => void;
}

/** How `createPooledRunner` shares out batches. @internal */
export interface PoolOptions {
  /** Bytes per batch to ask the verifier for. */
  readonly batchBytes?: number;
  /**
   * Also verify on the calling thread: a batch that arrives while every worker already has
   * `depth` (one running, the rest waiting in its message queue) is verified right away, here.
   */
  readonly callerToo?: boolean;
  /** Batches each worker may hold with `callerToo` (default 2: one running, one waiting). */
  readonly depth?: number;
}

/**
 * Runs batches on `count` workers made by `spawn`, in the order they arrive; each worker holds one
 * batch at a time, or `depth` (two) with `callerToo`, so it never waits for the calling thread to hand it
 * the next. Workers start on the first batch. Used by both platform runners.
 * @internal
 */
export function createPooledRunner(
  count: number,
  spawn: (onReply: (reply: WorkerReply) => void, onFailure: (error: Error) => void) => BatchWorker,
  options: PoolOptions = {},
): WorkerRunner {
  if (!Number.isSafeInteger(count) || count < 1) throw new AuditChainError('ERR_AUDIT_USAGE', `workers must be a whole number of at least 1, got ${count}`);
  const depth = options.callerToo ? (options.depth ?? 2) : 1;
  const workers: BatchWorker[] = [];
  const load = new Map<BatchWorker, number>();
  const queue: Task[] = [];
  const running = new Map<number, { task: Task; worker: BatchWorker }>();
  let nextId = 0;
  let stopped: Error | null = null;

  /** The least loaded worker with room for another batch. */
  const free = (): BatchWorker | undefined => {
    let best: BatchWorker | undefined;
    for (const w of workers) if (load.get(w)! < depth && (!best || load.get(w)! < load.get(best)!)) best = w;
    return best;
  };

  const pump = () => {
    for (let worker = free(); worker && queue.length > 0; worker = free()) {
      const task = queue.shift()!;
      const id = nextId++;
      running.set(id, { task, worker });
      if (load.get(worker) === 0) worker.idle?.(false);
      load.set(worker, load.get(worker)! + 1);
      worker.post({ id, batch: task.batch });
    }
  };

  const stop = async (error: Error) => {
    if (stopped) return;
    stopped = error;
    for (const t of queue.splice(0)) t.reject(error);
    for (const { task } of running.values()) task.reject(error);
    running.clear();
    load.clear();
    await Promise.all(workers.splice(0).map((w) => w.terminate()));
  };

  const start = () => {
    for (let i = 0; i < count; i++) {
      const worker: BatchWorker = spawn(
        (reply) => {
          const job = running.get(reply.id);
          if (!job) return;
          running.delete(reply.id);
          load.set(worker, load.get(worker)! - 1);
          if (load.get(worker) === 0 && queue.length === 0) worker.idle?.(true);
          pump();
          if ('result' in reply) job.task.resolve(reply.result);
          else job.task.reject(reply.error.code ? new AuditChainError(reply.error.code, reply.error.message) : new Error(reply.error.message));
        },
        (error) => void stop(new AuditChainError('ERR_AUDIT_USAGE', `a verifier worker failed: ${error.message}`, { cause: error })),
      );
      workers.push(worker);
      load.set(worker, 0);
    }
  };

  return {
    workers: count,
    // Enough batches in flight that no worker idles while the caller merges results. A caller that
    // verifies too may also run ahead of the oldest result by two more rounds of the workers'
    // queues (at most 8 batches more), so it keeps verifying overflow batches instead of waiting
    // for that one. Measured with one Node worker three deep, 200k sample rows, three alternating
    // runs: 4 in flight 68k-91k rows/s, 6 91k-110k, 10 111k-135k, 16 106k-131k.
    concurrency: options.callerToo ? count * depth + 1 + Math.min(2 * count * depth, 8) : 2 * count - 1,
    ...(options.batchBytes ? { batchBytes: options.batchBytes } : {}),
    run(batch) {
      if (stopped) return Promise.reject(stopped);
      if (workers.length === 0) start();
      if (options.callerToo && queue.length === 0 && !free()) {
        // Every worker's queue is full: this thread verifies this one. A throw (verifyRowBatch
        // should never throw) becomes a rejection, as it would from a worker.
        try {
          return Promise.resolve(verifyRowBatch(batch));
        } catch (e) {
          return Promise.reject(e);
        }
      }
      return new Promise<RowBatchResult>((resolve, reject) => {
        queue.push({ batch, resolve, reject });
        pump();
      });
    },
    close: () => stop(new AuditChainError('ERR_AUDIT_USAGE', 'the worker runner was closed')),
  };
}

/**
 * Creates a runner that verifies row batches on Web Workers (module workers).
 * @throws AuditChainError `ERR_AUDIT_USAGE` when `workers` is not a whole number ≥ 1.
 * @example
 * const runner = createWebWorkerRunner();
 * try {
 *   const report = await verifyExport(file, { keys, runner });
 * } finally {
 *   await runner.close();
 * }
 */
export function createWebWorkerRunner(options: WebWorkerRunnerOptions = {}): WorkerRunner {
  const count = options.workers ?? Math.max(1, (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1);
  return createPooledRunner(count, (onReply, onFailure) => {
    const worker = options.workerUrl
      ? new Worker(options.workerUrl, { type: 'module' })
      : new Worker(new URL('./verify-worker-web.js', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<WorkerReply>) => onReply(e.data);
    worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      onFailure(new Error(e.message || 'the worker script could not be loaded'));
    };
    worker.onmessageerror = () => onFailure(new Error('a message from the worker could not be read'));
    return {
      post: (request) => worker.postMessage(request, transferList(request)),
      terminate: () => worker.terminate(),
    };
  }, { batchBytes: WEB_WORKER_BATCH_BYTES });
}

/**
 * A Web Worker round trip costs more than a Node worker thread's, so Web Workers get bigger
 * batches. Measured in headless Chromium 156, 200k sample rows, two workers, runs of three
 * alternating with the previous build: 64 KiB 20.2k-21.3k rows/s (one run), 256 KiB 22.1k-29.7k
 * (four runs), 1 MiB 20.7k-28.1k (three runs): the smaller of the two that were as fast.
 */
const WEB_WORKER_BATCH_BYTES = 256 * 1024;
