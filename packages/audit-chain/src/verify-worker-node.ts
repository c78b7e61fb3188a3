/**
 * @module The worker-thread script behind `createWorkerRunner` (Node): verifies one row batch
 * per message and sends the result back, its leaf hashes transferred rather than copied. Started
 * by `verifyFile` with `workerData.role === 'file'`, it is instead the thread that reads and
 * verifies a whole file (`runFileThread`).
 * It runs from the built package (`dist/verify-worker-node.js`): `#digest` resolves to
 * `node:crypto` there through the `node` import condition.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isAuditChainError } from './errors.js';
import type { FileThreadRequest } from './verify-node.js';
import { replyFor, type WorkerReply, type WorkerRequest } from './verify-runner-web.js';
import { verifyRowBatch } from './verify-rows.js';

const port = parentPort;
if (!port) throw new Error('verify-worker-node.js runs as a worker thread, started by createWorkerRunner');

if ((workerData as { role?: unknown } | null)?.role === 'file') {
  const { runFileThread } = await import('./verify-node.js');
  await runFileThread(workerData as FileThreadRequest, (m) => port.postMessage(m));
} else {
  port.on('message', onBatch);
}

function onBatch({ id, batch }: WorkerRequest): void {
  let out: ReturnType<typeof replyFor>;
  try {
    out = replyFor(id, batch, verifyRowBatch(batch));
  } catch (e) {
    port!.postMessage({ id, error: { message: (e as Error)?.message ?? String(e), ...(isAuditChainError(e) ? { code: e.code } : {}) } } satisfies WorkerReply);
    return;
  }
  port!.postMessage(out.reply, out.transfer);
}
