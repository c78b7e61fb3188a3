/**
 * A progress bar on stderr, drawn only when stderr is a terminal and the job is large, and
 * redrawn at most ten times a second so it never slows the work down.
 */
import type { TextSink } from './io.js';

/** Below this many bytes a run finishes too fast for a bar to help. */
export const PROGRESS_MIN_BYTES = 16 * 1024 * 1024;

/** A progress reporter; a no-op when not drawn. */
export interface Progress {
  update(done: number, rows: number): void;
  /** Erases the bar. */
  finish(): void;
}

/** Creates a progress bar for `total` units (bytes or rows) labelled `label`. */
export function createProgress(sink: TextSink, label: string, total: number, unit: 'bytes' | 'rows', now: () => number = Date.now): Progress {
  const big = unit === 'bytes' ? total >= PROGRESS_MIN_BYTES : total >= 200_000;
  if (!sink.isTTY || !big) return { update() {}, finish() {} };
  const started = now();
  let last = Number.NEGATIVE_INFINITY;
  let drawn = false;
  return {
    update(done, rows) {
      const t = now();
      if (t - last < 100) return;
      last = t;
      const width = Math.max(10, Math.min(40, (sink.columns ?? 80) - 50));
      const frac = total > 0 ? Math.min(1, done / total) : 0;
      const filled = Math.round(frac * width);
      const rate = rows / Math.max(0.001, (t - started) / 1000);
      sink.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}%  ${rows.toLocaleString('en-US')} rows  ${Math.round(rate).toLocaleString('en-US')}/s\u001b[K`);
      drawn = true;
    },
    finish() {
      if (drawn) sink.write('\r\u001b[K');
    },
  };
}
