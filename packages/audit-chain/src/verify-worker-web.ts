/**
 * @module The Web Worker script behind `createWebWorkerRunner`: verifies one row batch per
 * message and sends the result back, its leaf hashes transferred rather than copied.
 */
import { isAuditChainError } from './errors.js';
import { replyFor, type WorkerReply, type WorkerRequest } from './verify-runner-web.js';
import { verifyRowBatch } from './verify-rows.js';

/** The subset of a dedicated worker's global scope this script uses. */
interface WorkerScope {
  addEventListener(type: 'message', listener: (e: { data: WorkerRequest }) => void): void;
  postMessage(message: WorkerReply, transfer?: ArrayBuffer[]): void;
}

const scope = globalThis as unknown as WorkerScope;

scope.addEventListener('message', ({ data: { id, batch } }) => {
  let out: ReturnType<typeof replyFor>;
  try {
    out = replyFor(id, batch, verifyRowBatch(batch));
  } catch (e) {
    scope.postMessage({ id, error: { message: (e as Error)?.message ?? String(e), ...(isAuditChainError(e) ? { code: e.code } : {}) } });
    return;
  }
  scope.postMessage(out.reply, out.transfer);
});
