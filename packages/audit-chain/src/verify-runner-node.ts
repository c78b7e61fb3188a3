/**
 * @module `@stela/audit-chain/verify-runner-node`: runs the verifier's row batches on Node
 * worker threads. The thread that runs `verifyExport` with it keeps reading, decoding and
 * building the Merkle tree, and verifies batches too; the workers check rows, commitments and
 * leaf hashes, which is most of the work. `verifyFile({ workers })` uses one, on a reading thread
 * of its own.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AuditChainError } from './errors.js';
import { createPooledRunner, transferList, type WorkerReply, type WorkerRunner } from './verify-runner-web.js';

export type { WorkerRunner } from './verify-runner-web.js';

/** Options for `createWorkerRunner`. */
export interface WorkerRunnerOptions {
  /**
   * Number of worker threads. Default: one per core, less the calling thread's when
   * `mainThread` is on (at least one).
   */
  readonly workers?: number;
  /**
   * Also verify on the calling thread whenever every worker already has a batch running and one
   * waiting (default true). Then n cores run n - 1 workers plus the caller instead of n workers
   * fighting the caller for n cores. Measured on 2 cores, 1M sample rows: see ./run bench.
   */
  readonly mainThread?: boolean;
  /**
   * The worker script. Default: `verify-worker-node.js` next to this module in the built
   * package. Workers cannot load this package's TypeScript sources.
   */
  readonly workerUrl?: string | URL;
}

/**
 * Creates a runner that verifies row batches on worker threads. Idle threads do not keep the
 * process alive, but close the runner when done to free them.
 * @throws AuditChainError `ERR_AUDIT_USAGE` when `workers` is not a whole number ≥ 1, or when the
 * worker script is missing (running from the TypeScript sources rather than the built package):
 * fall back to the inline runner then.
 * @example
 * const runner = createWorkerRunner();
 * try {
 *   report = await verifyFile('export.csv', { keys, runner });
 * } finally {
 *   await runner.close();
 * }
 */
export function createWorkerRunner(options: WorkerRunnerOptions = {}): WorkerRunner {
  const url = options.workerUrl ?? new URL('./verify-worker-node.js', import.meta.url);
  const path = typeof url === 'string' ? url : url.protocol === 'file:' ? fileURLToPath(url) : null;
  if (path !== null && !existsSync(path)) {
    throw new AuditChainError('ERR_AUDIT_USAGE', `the verifier worker script ${path} is missing: worker threads run from the built package (dist/)`);
  }
  const mainThread = options.mainThread ?? true;
  const count = options.workers ?? Math.max(1, availableParallelism() - (mainThread ? 1 : 0));
  return createPooledRunner(count, (onReply, onFailure) => {
    // A batch needs little heap; a small young generation keeps each thread's footprint down
    // (200k sample rows, two workers: peak RSS 183 MB → 162 MB, CPU time within noise).
    const worker = new Worker(url, { resourceLimits: { maxYoungGenerationSizeMb: 4 } });
    let closing = false;
    worker.on('message', (reply: WorkerReply) => onReply(reply));
    worker.on('error', (e) => onFailure(e));
    worker.on('exit', (code) => {
      if (!closing) onFailure(new Error(`the worker thread exited with code ${code}`));
    });
    worker.unref();
    return {
      post: (request) => worker.postMessage(request, transferList(request)),
      idle: (idle) => (idle ? worker.unref() : worker.ref()),
      terminate: () => {
        closing = true;
        return worker.terminate();
      },
    };
  }, { callerToo: mainThread, batchBytes: NODE_WORKER_BATCH_BYTES, depth: 3 });
}

/**
 * Node workers take 256 KiB batches, three deep, so the thread that reads and merges, and also
 * verifies, rarely leaves a worker waiting. Measured on the CI machine kind, 200k sample rows,
 * one worker and the main thread, three alternating runs each: 64 KiB batches two deep (the
 * verifier's default) 69k-81k rows/s; 256 KiB two deep 86k-102k; 256 KiB three deep 86k-112k.
 */
const NODE_WORKER_BATCH_BYTES = 256 * 1024;
