/**
 * @module The worker-thread script behind `createWorkerRunner` (Node): verifies one row batch
 * per message and sends the result back, its leaf hashes transferred rather than copied.
 * It runs from the built package (`dist/verify-worker-node.js`): `#digest` resolves to
 * `node:crypto` there through the `node` import condition.
 */
import { parentPort } from 'node:worker_threads';
import { isAuditChainError } from './errors.js';
import type { WorkerReply, WorkerRequest } from './verify-runner-web.js';
import { verifyRowBatch } from './verify-rows.js';

const port = parentPort;
if (!port) throw new Error('verify-worker-node.js runs as a worker thread, started by createWorkerRunner');

port.on('message', ({ id, batch }: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    reply = { id, result: verifyRowBatch(batch) };
  } catch (e) {
    port.postMessage({ id, error: { message: (e as Error)?.message ?? String(e), ...(isAuditChainError(e) ? { code: e.code } : {}) } } satisfies WorkerReply);
    return;
  }
  port.postMessage(reply, [reply.result.leafHashes.buffer as ArrayBuffer]);
});
