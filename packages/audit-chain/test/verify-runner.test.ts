import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalSigner, generateAuditKey, verifyExport } from '../src/index.js';
import { sampleCsv } from '../src/sample.js';
import { verifyRowBatch, type RowBatch } from '../src/verify-rows.js';
import { createPooledRunner, type WorkerRunner } from '../src/verify-runner-web.js';

// Worker threads cannot load our TypeScript sources, so the Node runner is tested as shipped,
// from dist/. `./run test` builds before it runs vitest.
const distRunner = new URL('../dist/verify-runner-node.js', import.meta.url);
const distWorker = new URL('../dist/verify-worker-node.js', import.meta.url);

const vectors = new URL('./vectors/', import.meta.url);
const expected = JSON.parse(readFileSync(new URL('exports/expected.json', vectors), 'utf8')) as {
  cases: { file: string; trusted_checkpoint?: string }[];
};
const goldenKeys = JSON.parse(readFileSync(new URL('checkpoint.json', vectors), 'utf8')).public_jwks;

/** mulberry32: a tiny seeded PRNG, so a failing tampering can be replayed. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A few thousand sample rows: several 512 KiB batches, so batch boundaries are crossed. */
async function sampleExportText(rows: number) {
  const key = await generateAuditKey();
  const signer = await createLocalSigner(key.privateJwk);
  let text = '';
  for await (const chunk of sampleCsv({ rows, signer, seed: 7 })) text += chunk;
  return { text, keys: key.publicJwks };
}

/** Random tamperings of an export: cell edits, deleted, swapped, duplicated rows, truncation. */
function tamperings(text: string, count: number, seed: number): { what: string; text: string }[] {
  const random = prng(seed);
  const lines = text.split('\r\n');
  const entryLines = lines.map((l, i) => (l.startsWith('entry,') ? i : -1)).filter((i) => i >= 0);
  const pick = () => entryLines[Math.floor(random() * entryLines.length)]!;
  const out: { what: string; text: string }[] = [];
  for (let k = 0; k < count; k++) {
    const copy = lines.slice();
    const i = pick();
    switch (k % 6) {
      case 0: {
        const line = copy[i]!;
        const at = Math.floor(random() * line.length);
        const ch = 'x7",\'=é'[Math.floor(random() * 7)]!;
        copy[i] = line.slice(0, at) + ch + line.slice(at + 1);
        out.push({ what: `edit row ${i + 1} at ${at} to ${ch}`, text: copy.join('\r\n') });
        break;
      }
      case 1:
        copy.splice(i, 1);
        out.push({ what: `delete row ${i + 1}`, text: copy.join('\r\n') });
        break;
      case 2:
        if (copy[i + 1]?.startsWith('entry,')) [copy[i], copy[i + 1]] = [copy[i + 1]!, copy[i]!];
        out.push({ what: `swap rows ${i + 1}, ${i + 2}`, text: copy.join('\r\n') });
        break;
      case 3:
        copy.splice(i, 0, copy[i]!);
        out.push({ what: `duplicate row ${i + 1}`, text: copy.join('\r\n') });
        break;
      case 4:
        out.push({ what: `truncate after row ${i + 1}`, text: copy.slice(0, i + 1).join('\r\n') + '\r\n' });
        break;
      default: {
        // Inside the commitments or salts JSON, where the fast path reads without JSON.parse.
        const line = copy[i]!;
        const at = line.indexOf('{""actor') + 3 + Math.floor(random() * 40);
        copy[i] = line.slice(0, at) + '"' + line.slice(at + 1);
        out.push({ what: `quote into row ${i + 1} at ${at}`, text: copy.join('\r\n') });
      }
    }
  }
  return out;
}

describe('pooled runner (the logic behind both worker runners)', () => {
  // In-process stand-ins for workers: results are structured-cloned as postMessage would, and
  // arrive after random delays, so batches complete out of order.
  const fakeWorkers = (count: number, seed: number) => {
    const random = prng(seed);
    return createPooledRunner(count, (onReply) => ({
      post: ({ id, batch }) => {
        setTimeout(() => onReply(structuredClone({ id, result: verifyRowBatch(structuredClone(batch)) })), Math.floor(random() * 4));
      },
      terminate: () => undefined,
    }));
  };

  it('gives the inline report on the golden exports', async () => {
    for (const c of expected.cases) {
      const bytes = new Uint8Array(readFileSync(new URL('exports/' + c.file, vectors)));
      const trustedCheckpoint = c.trusted_checkpoint ? readFileSync(new URL('exports/' + c.trusted_checkpoint, vectors), 'utf8') : undefined;
      const options = { keys: goldenKeys, ...(trustedCheckpoint ? { trustedCheckpoint } : {}) };
      const runner = fakeWorkers(3, 1);
      expect(await verifyExport(bytes, { ...options, runner }), c.file).toEqual(await verifyExport(bytes, options));
      await runner.close();
    }
  });

  it('gives the inline report on random tamperings of a multi-batch export', async () => {
    const { text, keys } = await sampleExportText(2500);
    const runner = fakeWorkers(2, 2);
    expect(await verifyExport(text, { keys, runner })).toMatchObject({ ok: true, rows: 2500 });
    for (const t of tamperings(text, 18, 3)) {
      expect(await verifyExport(t.text, { keys, runner }), t.what).toEqual(await verifyExport(t.text, { keys }));
    }
    await runner.close();
  });

  it('with callerToo, keeps each worker at most two batches deep, verifies the overflow on the calling thread, and gives the inline report', async () => {
    const { text, keys } = await sampleExportText(2500);
    const random = prng(5);
    let posted = 0;
    let deepest = 0;
    const inFlight = new Map<number, number>();
    const runner = createPooledRunner(
      1,
      (onReply) => ({
        post: ({ id, batch }) => {
          posted++;
          inFlight.set(0, (inFlight.get(0) ?? 0) + 1);
          deepest = Math.max(deepest, inFlight.get(0)!);
          const result = verifyRowBatch(structuredClone(batch));
          setTimeout(() => {
            inFlight.set(0, inFlight.get(0)! - 1);
            onReply(structuredClone({ id, result }));
          }, 2 + Math.floor(random() * 4));
        },
        terminate: () => undefined,
      }),
      { callerToo: true },
    );
    const batches: number[] = [];
    const counting = { ...runner, run: (b: RowBatch) => (batches.push(b.firstRow), runner.run(b)) };
    expect(await verifyExport(text, { keys, runner: counting })).toEqual(await verifyExport(text, { keys }));
    expect(deepest).toBe(2);
    expect(posted).toBeGreaterThan(0);
    expect(posted).toBeLessThan(batches.length);
    for (const t of tamperings(text, 8, 6)) {
      expect(await verifyExport(t.text, { keys, runner }), t.what).toEqual(await verifyExport(t.text, { keys }));
    }
    await runner.close();
  });

  it('rejects batches after close, and rejects a bad worker count', async () => {
    const runner = fakeWorkers(1, 4);
    await runner.close();
    await expect(runner.run({ text: '', firstRow: 3, context: { tenant: 't', lastSeq: 0 } })).rejects.toMatchObject({ code: 'ERR_AUDIT_USAGE' });
    expect(() => createPooledRunner(0, () => ({ post: () => undefined, terminate: () => undefined }))).toThrow(/at least 1/);
  });

  it('a crashed worker throws ERR_AUDIT_RUNNER_FAILED (an environment error, not a verdict on the file), not a hang', async () => {
    const { text, keys } = await sampleExportText(1200);
    const runner = createPooledRunner(2, (_onReply, onFailure) => ({ post: () => setTimeout(() => onFailure(new Error('boom')), 1), terminate: () => undefined }));
    await expect(verifyExport(text, { keys, runner })).rejects.toMatchObject({ code: 'ERR_AUDIT_RUNNER_FAILED', message: expect.stringMatching(/worker failed: boom/) });
    // The same file verifies inline, which is what callers fall back to.
    expect((await verifyExport(text, { keys })).ok).toBe(true);
  });
});

describe('createWorkerRunner (Node worker threads, from dist/)', () => {
  it('from the TypeScript sources, refuses with ERR_AUDIT_USAGE (no worker script to run): callers fall back to inline', async () => {
    const { createWorkerRunner: fromSource } = await import('../src/verify-runner-node.js');
    expect(() => fromSource()).toThrow(expect.objectContaining({ code: 'ERR_AUDIT_USAGE', message: expect.stringMatching(/worker script .* is missing/) }));
  });

  let createWorkerRunner: (o?: { workers?: number; mainThread?: boolean }) => WorkerRunner;
  let sample: { text: string; keys: unknown };

  beforeAll(async () => {
    if (!existsSync(distRunner) || !existsSync(distWorker)) {
      throw new Error('dist/verify-runner-node.js is missing: build the package first (./run pnpm --filter @stela/audit-chain build; ./run test does it for you)');
    }
    ({ createWorkerRunner } = await import(distRunner.href));
    sample = await sampleExportText(3000);
  });
  const runners: WorkerRunner[] = [];
  afterAll(async () => {
    await Promise.all(runners.map((r) => r.close()));
  });

  it('gives the inline report on the golden exports', async () => {
    const runner = createWorkerRunner({ workers: 2 });
    runners.push(runner);
    for (const c of expected.cases) {
      const bytes = new Uint8Array(readFileSync(new URL('exports/' + c.file, vectors)));
      const trustedCheckpoint = c.trusted_checkpoint ? readFileSync(new URL('exports/' + c.trusted_checkpoint, vectors), 'utf8') : undefined;
      const options = { keys: goldenKeys, ...(trustedCheckpoint ? { trustedCheckpoint } : {}) };
      expect(await verifyExport(bytes, { ...options, runner }), c.file).toEqual(await verifyExport(bytes, options));
    }
  });

  it('gives the inline report on a multi-batch export and on random tamperings of it', async () => {
    const runner = createWorkerRunner({ workers: 3 });
    runners.push(runner);
    const { text, keys } = sample;
    const ok = await verifyExport(text, { keys, runner });
    expect(ok).toMatchObject({ ok: true, rows: 3000 });
    expect(ok).toEqual(await verifyExport(text, { keys }));
    for (const t of tamperings(text, 12, 11)) {
      expect(await verifyExport(t.text, { keys, runner }), t.what).toEqual(await verifyExport(t.text, { keys }));
    }
  });

  it('defaults to one thread per core besides the calling one, and close() is idempotent', async () => {
    const { availableParallelism } = await import('node:os');
    const all = createWorkerRunner({ mainThread: false });
    expect(all.workers).toBe(availableParallelism());
    await all.close();
    const runner = createWorkerRunner();
    expect(runner.workers).toBe(Math.max(1, availableParallelism() - 1));
    expect(runner.concurrency).toBeGreaterThanOrEqual(runner.workers);
    expect((await verifyExport(sample.text, { keys: sample.keys, runner })).ok).toBe(true);
    await runner.close();
    await runner.close();
    await expect(runner.run({ text: '', firstRow: 3, context: { tenant: 't', lastSeq: 0 } })).rejects.toMatchObject({ code: 'ERR_AUDIT_USAGE' });
  });
});

describe('verifyFile({ workers }) (from dist/)', () => {
  const distVerifyNode = new URL('../dist/verify-node.js', import.meta.url);
  let verifyFile: typeof import('../src/verify-node.js').verifyFile;
  let dir: string;
  let file: string;
  let text: string;
  let keys: unknown;
  beforeAll(async () => {
    expect(existsSync(distVerifyNode), 'build the package first: ./run pnpm --filter @stela/audit-chain build').toBe(true);
    ({ verifyFile } = (await import(distVerifyNode.href)) as typeof import('../src/verify-node.js'));
    ({ text, keys } = await sampleExportText(3000));
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    dir = mkdtempSync(`${tmpdir()}/stela-vf-`);
    file = `${dir}/export.csv`;
    writeFileSync(file, text);
  });
  const write = async (name: string, content: string) => {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${dir}/${name}`, content);
    return `${dir}/${name}`;
  };
  // On a failure, `bytes` is how far reading had got, which follows the read size.
  const sansBytes = ({ bytes: _, ...rest }: { bytes: number }) => rest;

  it('is inline by default and, with workers, verifies on a reading thread and worker threads with the same report', async () => {
    const inline = await verifyFile(file, { keys });
    const threaded = await verifyFile(file, { keys, workers: 2 });
    expect(inline.ok).toBe(true);
    expect(threaded).toEqual(inline);
  });

  it('names the same failure either way on random tamperings', async () => {
    for (const [i, t] of tamperings(text, 6, 11).entries()) {
      const tampered = await write(`tampered-${i}.csv`, t.text);
      const inline = await verifyFile(tampered, { keys });
      const threaded = await verifyFile(tampered, { keys, workers: 1 });
      expect(inline.ok, t.what).toBe(false);
      expect(sansBytes(threaded), t.what).toEqual(sansBytes(inline));
    }
  });

  it('reports progress from the reading thread, ending at the whole file', async () => {
    const seen: { bytes: number; rows: number }[] = [];
    const report = await verifyFile(file, { keys, workers: 1, onProgress: (p) => seen.push(p) });
    expect(report.ok).toBe(true);
    expect(seen.length).toBeGreaterThan(1);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.bytes).toBeGreaterThanOrEqual(seen[i - 1]!.bytes);
    expect(seen.at(-1)).toEqual({ bytes: Buffer.byteLength(text), rows: report.rows });
  });

  it('rejects with what an onProgress callback threw, and stops the reading thread', async () => {
    const oops = new Error('progress callback failed');
    await expect(verifyFile(file, { keys, workers: 1, onProgress: () => { throw oops; } })).rejects.toBe(oops);
  });

  it('verifies on this thread when the options cannot go to another (keys that structured cloning refuses)', async () => {
    const odd = { ...(keys as object), note: () => 'not cloneable' };
    const threaded = await verifyFile(file, { keys: odd, workers: 1 });
    expect(threaded).toEqual(await verifyFile(file, { keys: odd }));
  });

  it('throws ERR_AUDIT_USAGE for a missing file before starting any thread', async () => {
    await expect(verifyFile(`${dir}/missing.csv`, { keys, workers: 1 })).rejects.toMatchObject({ code: 'ERR_AUDIT_USAGE' });
  });

  it('throws ERR_AUDIT_RUNNER_FAILED, not a verdict on the file, when the reading thread ends without a report', async () => {
    const script = await write('silent-worker.mjs', 'export {};\n');
    await expect(verifyFile(file, { keys, workers: 1, workerUrl: new URL(`file://${script}`) })).rejects.toMatchObject({
      code: 'ERR_AUDIT_RUNNER_FAILED',
      message: expect.stringMatching(/exited with code 0 before reporting/),
    });
    const crashing = await write('crashing-worker.mjs', "throw new Error('boom');\n");
    await expect(verifyFile(file, { keys, workers: 1, workerUrl: new URL(`file://${crashing}`) })).rejects.toMatchObject({
      code: 'ERR_AUDIT_RUNNER_FAILED',
      message: expect.stringMatching(/boom/),
    });
  });
});
