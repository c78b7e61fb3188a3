import { verifyExport, type VerifyOptions } from '@stela/audit-chain';
import { createWebWorkerRunner } from '@stela/audit-chain/verify-runner-web';
// Vite bundles the worker entry on its own and hands back its URL.
import workerUrl from '@stela/audit-chain/verify-worker-web?worker&url';
import { useRef, useState, type ChangeEvent, type DragEvent } from 'react';

type Report = Awaited<ReturnType<typeof verifyExport>>;

/** The shortest time between two progress updates on the page. */
const PROGRESS_INTERVAL_MS = 250;

async function withWorkers<T>(use: (runner: ReturnType<typeof createWebWorkerRunner>) => Promise<T>): Promise<T | undefined> {
  if (typeof Worker === 'undefined' || (navigator.hardwareConcurrency ?? 1) < 2) return undefined;
  let runner: ReturnType<typeof createWebWorkerRunner> | undefined;
  try {
    runner = createWebWorkerRunner({ workerUrl });
    return await use(runner);
  } catch {
    return undefined;
  } finally {
    await runner?.close();
  }
}

export interface VerifyExportProps {
  /** Where the audit-key JWKS is published. */
  keysUrl: string;
}

/**
 * Verifies an audit-log export in the browser with `@stela/audit-chain`'s verifier. The file is
 * read locally; nothing is uploaded. Keys come from the site's own `/.well-known/audit-keys.json`.
 */
export function VerifyExport({ keysUrl }: VerifyExportProps) {
  const [state, setState] = useState<{ phase: 'idle' | 'working' | 'done' | 'error'; report?: Report; error?: string; rows?: number; bytes?: number; ms?: number; name?: string }>({ phase: 'idle' });
  const input = useRef<HTMLInputElement>(null);

  async function run(file: File) {
    setState({ phase: 'working', rows: 0, bytes: 0, name: file.name });
    const started = performance.now();
    try {
      const res = await fetch(keysUrl, { credentials: 'omit' });
      if (!res.ok) throw new Error(`Could not load the published keys (${res.status}).`);
      const keys = await res.json();
      // The verifier reports progress every MiB, hundreds of times for a large export. The page
      // shows it at most four times a second: each update re-renders and repaints the status,
      // which is also an ARIA live region, and at every MiB that cost about a tenth of the
      // verification time (headless Chromium, 200k sample rows).
      let shown = 0;
      const options: VerifyOptions = {
        keys,
        onProgress: (p: { bytes: number; rows: number }) => {
          const now = performance.now();
          if (now - shown < PROGRESS_INTERVAL_MS) return;
          shown = now;
          setState((s) => ({ ...s, rows: p.rows, bytes: p.bytes }));
        },
      };
      // Web Workers verify row batches in parallel (about 1.5x on two cores, measured in
      // ./run bench). If they cannot start, the check runs on this thread instead.
      let report = await withWorkers((runner) => verifyExport(file, { ...options, runner }));
      report ??= await verifyExport(file, options);
      setState({ phase: 'done', report, name: file.name, ms: performance.now() - started });
    } catch (e) {
      setState({ phase: 'error', error: e instanceof Error ? e.message : String(e), name: file.name });
    }
  }

  const onChange = (e: ChangeEvent<HTMLInputElement>) => {
    const f = e.target.files?.[0];
    if (f) void run(f);
  };
  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    const f = e.dataTransfer.files[0];
    if (f) void run(f);
  };
  const r = state.report;

  return (
    <div className="verify" onDragOver={(e) => e.preventDefault()} onDrop={onDrop}>
      <p>
        <label htmlFor="audit-export">Choose an audit export (CSV)</label>{' '}
        <input id="audit-export" ref={input} type="file" accept=".csv,text/csv" onChange={onChange} data-testid="verify-input" />
      </p>
      <div role="status" aria-live="polite" data-testid="verify-status" data-phase={state.phase} data-ok={r ? String(r.ok) : undefined}>
        {state.phase === 'working' ? <p>Checking {state.name}: {state.rows?.toLocaleString('en')} rows read…</p> : null}
        {state.phase === 'error' ? <p className="badge badge-bad">Could not check the file: {state.error}</p> : null}
        {r ? (
          <div className={`card ${r.ok ? '' : 'expired'}`}>
            <p>
              <span className={`badge ${r.ok ? 'badge-good' : 'badge-bad'}`}>{r.ok ? 'Verified' : 'Not verified'}</span> {r.message}
            </p>
            <dl className="facts">
              <dt>Rows</dt>
              <dd>{r.rows.toLocaleString('en')}</dd>
              <dt>Erased fields</dt>
              <dd>{r.erasedFields}</dd>
              {r.code ? (
                <>
                  <dt>Code</dt>
                  <dd>
                    <code>{r.code}</code>
                  </dd>
                </>
              ) : null}
              {r.failure ? (
                <>
                  <dt>First failure</dt>
                  <dd>
                    Row {r.failure.row}
                    {r.failure.seq !== undefined ? ` (seq ${r.failure.seq})` : ''}: {r.failure.message}
                  </dd>
                </>
              ) : null}
              {r.checkpoint ? (
                <>
                  <dt>Checkpoint</dt>
                  <dd>
                    {r.checkpoint.size} entries, issued {r.checkpoint.issuedAt}, key <code>{r.checkpoint.kid.slice(0, 12)}…</code> {r.checkpoint.keyTrusted ? '(published by this vendor)' : '(not a published key)'}
                  </dd>
                </>
              ) : null}
              {state.ms ? (
                <>
                  <dt>Time</dt>
                  <dd data-testid="verify-ms">{Math.round(state.ms)} ms</dd>
                </>
              ) : null}
            </dl>
          </div>
        ) : null}
      </div>
    </div>
  );
}
