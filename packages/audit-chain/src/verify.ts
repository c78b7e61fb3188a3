/**
 * The isomorphic streaming verifier for `stela.audit/csv/v1` exports (SPEC.md §9). It reads
 * `Blob`/`File` in browsers and any byte stream in Node, holds O(log n) state, and returns a
 * report value: it never throws for bad input.
 */
import { indexOfByte } from '#byte-search';
import { digestBackend } from '#digest';
import { concatBytes, fromHex, toHex } from './bytes.js';
import { verifyCheckpoint, type Checkpoint } from './checkpoint.js';
import { MAX_RECORD_LENGTH } from './csv/format.js';
import { splitLine, verifyRowBatch, type RowBatch, type RowBatchResult } from './verify-rows.js';
import { CELL_ESCAPE, COL, CSV_COLUMNS, CSV_FORMAT, unescapeCell } from './csv/format.js';
import { AuditChainError, INTEGRITY_CODES, isAuditChainError, type AuditErrorCode } from './errors.js';
import { createKeyRing, keyThumbprint, type KeyRing, type ResolvedKey } from './keys.js';
import { compactVerify, decodeProtectedHeader } from 'jose';
import { canonicalJson } from './canonical-json.js';
import { EXPORT_JWS_TYP } from './csv/export-records.js';
import { createTreeBuilder, decodeCompactRange, verifyConsistency, type TreeBuilder } from './merkle.js';
import { GENESIS_HASH } from './record.js';

/** Anything the verifier can read. */
export type VerifyInput = Blob | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Uint8Array | string;

/** Options for `verifyExport`. */
export interface VerifyOptions {
  /** The vendor's published JWKS (`/.well-known/audit-keys.json`). Without it, the key embedded in the export is used and the report says the key is not trusted. */
  readonly keys?: unknown;
  /**
   * A checkpoint JWS the customer already holds; an export shorter than or rewritten since it
   * fails. Needs `keys` (without them the report is `ERR_AUDIT_USAGE`): a checkpoint is only as
   * trustworthy as the key it is checked with.
   */
  readonly trustedCheckpoint?: string;
  /** Called about every MiB. */
  readonly onProgress?: (p: { bytes: number; rows: number }) => void;
  /** Runs row batches, e.g. on worker threads (`createWorkerRunner`, `@stela/audit-chain/verify-runner-node`) or Web Workers (`createWebWorkerRunner`, `@stela/audit-chain/verify-runner-web`). Default: inline. */
  readonly runner?: RowBatchRunner;
}

/** Runs `verifyRowBatch`, here or elsewhere. `concurrency` batches may be in flight at once. */
export interface RowBatchRunner {
  readonly concurrency: number;
  /** Bytes per batch this runner works best with (default 64 KiB). */
  readonly batchBytes?: number;
  run(batch: RowBatch): Promise<RowBatchResult>;
}

/** Verifies batches on the calling thread. */
export const inlineRunner: RowBatchRunner = { concurrency: 0, run: async (b) => verifyRowBatch(b) };

/**
 * Bytes per batch unless the runner asks otherwise: large enough that handing a batch to a
 * worker thread costs little, small enough that the decoded batch stays out of V8's large-object
 * space (freed only by full GCs). Measured in Node on 100k sample rows: 256 KiB raised peak RSS
 * with two worker threads from 137 to 174 MB and was slower inline. Batches are bytes, not
 * strings: the main thread never decodes entry rows, and a worker takes its batch by transfer.
 */
const BATCH_BYTES = 64 * 1024;

/**
 * @internal Marks an async iterable whose chunks share buffers that it fills again once the next
 * chunk is asked for (`verifyFile`'s reader): the verifier then copies whatever it keeps of a
 * chunk before asking.
 */
export const REUSES_CHUNKS = Symbol.for('@stela/audit-chain/reuses-chunks');

/** Batch buffers kept for reuse: more than any runner has in flight. */
const MAX_SPARE_BATCHES = 32;

/**
 * A line still without its end after this many bytes is longer than `MAX_RECORD_LENGTH` UTF-16
 * code units whatever it holds (no code unit takes more than 3 bytes of UTF-8), so reading stops
 * there; shorter lines are measured exactly once decoded.
 */
const MAX_LINE_BYTES = 3 * MAX_RECORD_LENGTH;

const BOM_BYTES = Uint8Array.of(0xef, 0xbb, 0xbf);

/** The first failure, located in the file. */
export interface VerifyFailure {
  readonly code: AuditErrorCode;
  readonly message: string;
  /** 1-based CSV record number (the header is record 1). */
  readonly row: number;
  readonly seq?: number;
}

/** What a verification found. `ok` is true only if every check passed. */
export interface VerifyReport {
  readonly ok: boolean;
  readonly code: AuditErrorCode | null;
  readonly message: string;
  readonly failure?: VerifyFailure;
  /** Whether the failure is about integrity (exit 1) or the input's format/usage (exit 2). */
  readonly integrityFailure: boolean;
  readonly format: string | null;
  readonly origin: string | null;
  readonly tenant: string | null;
  readonly firstSeq: number | null;
  readonly lastSeq: number | null;
  /** Entry rows read. */
  readonly rows: number;
  /** Committed fields whose values were erased or withheld. */
  readonly erasedFields: number;
  readonly bom: boolean;
  readonly bytes: number;
  readonly checkpoint?: {
    readonly size: number;
    readonly root: string;
    readonly chainHead: string;
    readonly issuedAt: string;
    readonly kid: string;
    readonly keyTrusted: boolean;
    readonly previous: { size: number; root: string } | null;
  };
  readonly trustedCheckpoint?: { readonly size: number; readonly root: string; readonly consistent: boolean };
  readonly warnings: readonly string[];
  readonly digestBackend: string;
}

class Stop extends Error {
  constructor(readonly failure: VerifyFailure) {
    super(failure.message);
  }
}

async function* bytesOf(input: VerifyInput): AsyncIterable<Uint8Array> {
  if (typeof input === 'string') yield new TextEncoder().encode(input);
  else if (input instanceof Uint8Array) yield input;
  else if (typeof Blob !== 'undefined' && input instanceof Blob) yield* bytesOf(input.stream());
  else if (typeof (input as ReadableStream).getReader === 'function') {
    const reader = (input as ReadableStream<Uint8Array>).getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      reader.releaseLock();
    }
  } else yield* input as AsyncIterable<Uint8Array>;
}

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Verifies an export: every row's hash and commitments, the chain, the sequence, the Merkle root
 * against the signed checkpoint, the checkpoint's signatures and key, and (optionally)
 * consistency with a checkpoint the caller already trusts.
 * @example
 * const report = await verifyExport(file, { keys: await (await fetch('/.well-known/audit-keys.json')).json() });
 * if (!report.ok) console.log(report.failure?.row, report.code);
 * @throws AuditChainError `ERR_AUDIT_RUNNER_FAILED` only when a `runner` itself fails (a worker that
 * would not start or crashed); problems with the file always come back in the report.
 */
export async function verifyExport(input: VerifyInput, options: VerifyOptions = {}): Promise<VerifyReport> {
  const warnings: string[] = [];
  const state = {
    format: null as string | null,
    origin: null as string | null,
    tenant: null as string | null,
    firstSeq: null as number | null,
    lastSeq: null as number | null,
    rows: 0,
    erased: 0,
    bom: false,
    bytes: 0,
  };
  let checkpointInfo: VerifyReport['checkpoint'];
  let trustedInfo: VerifyReport['trustedCheckpoint'];

  const finish = (failure?: VerifyFailure): VerifyReport => {
    const base = {
      format: state.format,
      origin: state.origin,
      tenant: state.tenant,
      firstSeq: state.firstSeq,
      lastSeq: state.lastSeq,
      rows: state.rows,
      erasedFields: state.erased,
      bom: state.bom,
      bytes: state.bytes,
      warnings,
      digestBackend,
      ...(checkpointInfo ? { checkpoint: checkpointInfo } : {}),
      ...(trustedInfo ? { trustedCheckpoint: trustedInfo } : {}),
    };
    if (failure) return { ok: false, code: failure.code, message: failure.message, failure, integrityFailure: INTEGRITY_CODES.has(failure.code), ...base };
    return { ok: true, code: null, message: `verified ${state.rows} entries up to a signed checkpoint`, integrityFailure: false, ...base };
  };

  try {
    // Keys and the trusted checkpoint are checked before reading a byte of the export.
    let ring: KeyRing | null = null;
    if (options.keys !== undefined) ring = await createKeyRing(options.keys, true);
    if (options.trustedCheckpoint !== undefined && !ring) {
      throw new Stop({ code: 'ERR_AUDIT_USAGE', message: 'a trusted checkpoint needs the vendor keys too (--keys), so that the export cannot vouch for itself', row: 0 });
    }
    let trusted: Checkpoint | null = null;
    const trustedJws = options.trustedCheckpoint?.trim();
    if (trustedJws !== undefined && ring) {
      const v = await verifyCheckpoint(trustedJws, ring);
      if (!v.ok) throw new Stop({ code: 'ERR_AUDIT_TRUSTED_CHECKPOINT_INVALID', message: `the trusted checkpoint does not verify: ${v.message}`, row: 0 });
      trusted = v.checkpoint;
    }

    const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    const runner = options.runner ?? inlineRunner;
    const batchBytes = Number.isSafeInteger(runner.batchBytes) && runner.batchBytes! > 0 ? runner.batchBytes! : BATCH_BYTES;
    let stage = 'header' as 'header' | 'export' | 'entries' | 'done';
    let tree: TreeBuilder | null = null;
    let prevHash = GENESIS_HASH;
    let expectedSeq = 0;
    let lastSeq = 0;
    let trustedAt: { root: string; chainHead: string } | null = null;
    let cpData: Record<string, unknown> | null = null;
    let cpRow = 0;
    let exportCell = '';
    let first = true;
    let nextProgress = 1 << 20;
    /** Bytes read but not yet handed on, oldest first. */
    let parts: Uint8Array[] = [];
    let partsLength = 0;
    /** 1-based record number of the first line not yet handed on. */
    let row = 1;

    const fail = (code: AuditErrorCode, message: string, at: number, seq?: number): never => {
      throw new Stop(seq === undefined ? { code, message, row: at } : { code, message, row: at, seq });
    };

    const captureTrusted = () => {
      if (trusted && tree && tree.size === trusted.size) trustedAt = { root: toHex(tree.root()), chainHead: prevHash };
    };

    /** Takes one line from the front of the buffered bytes, decoded, without its CR LF; null until a whole line is there. */
    const takeLine = (final: boolean): string | null => {
      let data = joined();
      if (first) {
        // Wait for three bytes before deciding whether the file starts with a BOM.
        if (data.length < 3 && !final && BOM_BYTES.subarray(0, data.length).every((b, i) => data[i] === b)) return null;
        first = false;
        if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) {
          state.bom = true;
          data = data.subarray(3);
          keep(data);
        }
      }
      const eol = data.indexOf(10);
      if (eol < 0) {
        if (data.length > MAX_LINE_BYTES) fail('ERR_AUDIT_LINE_TOO_LONG', 'a record is longer than 1 MiB', row);
        if (!final || data.length === 0) return null;
      }
      const end = eol < 0 ? data.length : eol;
      let text: string;
      try {
        text = decoder.decode(data.subarray(0, end));
      } catch {
        fail('ERR_AUDIT_ENCODING', 'the file is not valid UTF-8', row);
      }
      if (text!.length > MAX_RECORD_LENGTH) fail('ERR_AUDIT_LINE_TOO_LONG', 'a record is longer than 1 MiB', row);
      keep(eol < 0 ? data.subarray(data.length) : data.subarray(eol + 1));
      return text!.endsWith('\r') ? text!.slice(0, -1) : text!;
    };

    /**
     * The buffered bytes as one array (joined once, then kept as the only part). Parts are joined
     * in one reused buffer rather than a new one each time: every batch and every kept remainder
     * is copied out of it before the next join. (A part may be a view of that buffer itself;
     * `set` copies such a source first.)
     */
    let joinBuffer = new Uint8Array(0);
    const joined = (): Uint8Array => {
      if (parts.length === 1) return parts[0]!;
      let total = 0;
      for (const part of parts) total += part.length;
      if (joinBuffer.length < total) joinBuffer = new Uint8Array(Math.max(total, 2 * joinBuffer.length));
      let at = 0;
      for (const part of parts) {
        joinBuffer.set(part, at);
        at += part.length;
      }
      const data = joinBuffer.subarray(0, total);
      parts = [data];
      return data;
    };
    const keep = (rest: Uint8Array) => {
      parts = rest.length ? [rest] : [];
      partsLength = rest.length;
    };

    const cells = (line: string, at: number): string[] => {
      const c = splitLine(line);
      if (typeof c === 'string') fail('ERR_AUDIT_CSV_MALFORMED', c, at);
      return c as string[];
    };

    const readHeaderAndExport = (final: boolean) => {
      if (stage === 'header') {
        const line = takeLine(final);
        if (line === null) return;
        const c = cells(line, row);
        if (c.join(',') !== CSV_COLUMNS.join(',')) {
          const versioned = c[0] === 'record';
          fail(
            versioned ? 'ERR_AUDIT_FORMAT_UNSUPPORTED' : 'ERR_AUDIT_CSV_MALFORMED',
            versioned
              ? `the header does not match ${CSV_FORMAT}; this file may use a newer format version`
              : 'this is not a Stela audit export: the header must start with "record,seq,tenant"',
            row,
          );
        }
        row++;
        stage = 'export';
      }
      if (stage === 'export') {
        const line = takeLine(final);
        if (line === null) return;
        const c = cells(line, row);
        if (c.length !== CSV_COLUMNS.length) fail('ERR_AUDIT_CSV_MALFORMED', `record has ${c.length} cells; expected ${CSV_COLUMNS.length}`, row);
        if (c[0] !== 'export') fail('ERR_AUDIT_CSV_MALFORMED', 'the second record must be the export descriptor (record "export")', row);
        exportCell = c[COL.data]!;
        readExport(parseDataRecord(c, EXPORT_KEYS, row, fail), row);
        row++;
        stage = 'entries';
      }
    };

    const readExport = (d: Record<string, unknown>, at: number) => {
      if (d['@type'] !== CSV_FORMAT) fail('ERR_AUDIT_FORMAT_UNSUPPORTED', `unknown export format ${JSON.stringify(d['@type'])}; this verifier reads ${CSV_FORMAT}`, at);
      if (d.cell_escape !== CELL_ESCAPE) fail('ERR_AUDIT_FORMAT_UNSUPPORTED', `unknown cell escape rule ${JSON.stringify(d.cell_escape)}`, at);
      const firstSeq = d.first_seq;
      const lastSeqDecl = d.last_seq;
      const prefix = d.prefix as Record<string, unknown> | undefined;
      if (!isSeq(firstSeq) || firstSeq < 1 || !isSeq(lastSeqDecl) || lastSeqDecl < firstSeq - 1 || typeof d.origin !== 'string' || typeof d.tenant !== 'string' || !prefix || prefix.size !== firstSeq - 1 || typeof prefix.chain_head !== 'string' || !HEX64.test(prefix.chain_head) || !Array.isArray(prefix.compact_range)) {
        fail('ERR_AUDIT_CSV_MALFORMED', 'the export descriptor is missing or has invalid fields (origin, tenant, first_seq, last_seq, prefix)', at);
      }
      if (d.bom === true && !state.bom) warnings.push('the export declares a BOM but the file has none');
      if (d.bom !== true && state.bom) warnings.push('the file starts with a BOM that the export does not declare (it was probably re-saved by a spreadsheet)');
      state.format = CSV_FORMAT;
      state.origin = d.origin as string;
      state.tenant = d.tenant as string;
      state.firstSeq = firstSeq as number;
      state.lastSeq = lastSeqDecl as number;
      const nodes = (prefix!.compact_range as unknown[]).map((h) => (typeof h === 'string' ? fromHex(h) : undefined));
      if (nodes.some((n) => !n || n.length !== 32)) fail('ERR_AUDIT_CSV_MALFORMED', 'the prefix compact range holds a value that is not a 32-byte hex hash', at);
      let start;
      try {
        start = decodeCompactRange((firstSeq as number) - 1, concatBytes(...(nodes as Uint8Array[])));
      } catch {
        fail('ERR_AUDIT_CSV_MALFORMED', `the prefix compact range has the wrong number of hashes for size ${(firstSeq as number) - 1}`, at);
      }
      tree = createTreeBuilder(start);
      prevHash = prefix!.chain_head as string;
      if (firstSeq === 1 && prevHash !== GENESIS_HASH) fail('ERR_AUDIT_CHAIN_BROKEN', 'an export from seq 1 must start from the genesis hash', at);
      expectedSeq = firstSeq as number;
      lastSeq = (firstSeq as number) - 1;
      if (trusted) {
        if (trusted.origin !== state.origin) fail('ERR_AUDIT_TRUSTED_CHECKPOINT_INVALID', `the trusted checkpoint belongs to ${trusted.origin}, not to this export's log ${state.origin}`, at);
        captureTrusted();
      }
    };

    // Applies one batch result in file order: boundary checks first, then the batch's own failure.
    const apply = (r: RowBatchResult, batchRow: number) => {
      if (stage === 'done') {
        if (r.firstSeq !== null || (r.rest ?? '').replace(/\r?\n$/, '') !== '') fail('ERR_AUDIT_CSV_MALFORMED', 'records follow the checkpoint record; the checkpoint must be last', batchRow);
        return;
      }
      if (r.firstSeq !== null) {
        if (r.firstSeq !== expectedSeq) {
          if (r.firstSeq > state.lastSeq!) fail('ERR_AUDIT_SEQ_GAP', `seq ${r.firstSeq} lies beyond the export's declared last seq ${state.lastSeq}`, batchRow, r.firstSeq);
          fail('ERR_AUDIT_SEQ_GAP', `expected seq ${expectedSeq}, found ${r.firstSeq}: a row is missing, duplicated or out of order`, batchRow, r.firstSeq);
        }
        if (r.firstPrevHash !== prevHash) fail('ERR_AUDIT_CHAIN_BROKEN', `prev_hash does not equal the hash of seq ${expectedSeq - 1}`, batchRow, expectedSeq);
      }
      const h = r.leafHashes;
      for (let i = 0; i < r.rows; i++) {
        tree!.appendFrom(h, i * 32);
        if (trusted && tree!.size === trusted.size) {
          prevHash = toHex(h.subarray(i * 32, i * 32 + 32));
          captureTrusted();
        }
      }
      state.rows += r.rows;
      state.erased += r.erased;
      if (r.rows) {
        lastSeq = r.lastSeq!;
        expectedSeq = lastSeq + 1;
        prevHash = r.lastHash!;
      }
      if (r.failure) throw new Stop(r.failure);
      if (r.rest !== undefined) {
        const at = batchRow + r.rows;
        const eol = r.rest.indexOf('\n');
        const line = eol < 0 ? r.rest : r.rest.slice(0, r.rest.charCodeAt(eol - 1) === 13 ? eol - 1 : eol);
        const c = cells(line, at);
        if (c[0] !== 'checkpoint') fail('ERR_AUDIT_CSV_MALFORMED', `unexpected record ${JSON.stringify(c[0]?.slice(0, 20))}: expected an entry or the checkpoint`, at);
        if (c.length !== CSV_COLUMNS.length) fail('ERR_AUDIT_CSV_MALFORMED', `record has ${c.length} cells; expected ${CSV_COLUMNS.length}`, at);
        cpData = parseDataRecord(c, CHECKPOINT_KEYS, at, fail);
        cpRow = at;
        if (lastSeq < state.lastSeq!) fail('ERR_AUDIT_TRUNCATED', `the export declares entries up to seq ${state.lastSeq} but the rows stop at seq ${lastSeq}`, at, lastSeq + 1);
        const after = eol < 0 ? '' : r.rest.slice(eol + 1);
        if (after.replace(/\r?\n$/, '') !== '') fail('ERR_AUDIT_CSV_MALFORMED', 'records follow the checkpoint record; the checkpoint must be last', at + 1);
        stage = 'done';
      }
    };

    /** Each batch in flight, oldest first: its result, first record number and bytes (reused once the result is in). */
    const inFlight: { result: Promise<RowBatchResult>; firstRow: number; bytes: Uint8Array }[] = [];
    // Batch buffers are reused rather than allocated per batch: with worker threads, a new
    // 256 KiB buffer per batch (handed to a worker, freed there) made peak RSS creep up with the
    // rows verified. Node 22, 2 vCPUs, one worker: 2M sample rows 148-153 MB before, 140 MB after.
    const spare: ArrayBuffer[] = [];
    /** A copy of `data[from, to)` in a buffer of this verification's own. */
    const ownedCopy = (data: Uint8Array, from: number, to: number): Uint8Array => {
      const n = to - from;
      let buffer: ArrayBuffer | undefined;
      for (let i = spare.length - 1; i >= 0; i--) {
        if (spare[i]!.byteLength >= n) {
          buffer = spare[i]!;
          spare[i] = spare[spare.length - 1]!;
          spare.pop();
          break;
        }
      }
      const out = new Uint8Array(buffer ?? new ArrayBuffer(Math.max(n, batchBytes)), 0, n);
      out.set(data.subarray(from, to));
      return out;
    };
    /** Takes a batch buffer back, unless a worker kept it (then it is detached: length 0). */
    const reuse = (bytes: Uint8Array | undefined) => {
      if (bytes && bytes.buffer instanceof ArrayBuffer && bytes.buffer.byteLength > 0 && spare.length < MAX_SPARE_BATCHES) spare.push(bytes.buffer);
    };
    /** Hands a run of whole lines (an owned copy, so a worker can take it by transfer) to the runner. */
    const dispatch = (data: Uint8Array, from: number, to: number) => {
      const bytes = ownedCopy(data, from, to);
      const firstRow = row;
      // Count the lines first: a worker runner takes the bytes by transfer, detaching them here.
      for (let i = indexOfByte(bytes, 10, 0); i >= 0; i = indexOfByte(bytes, 10, i + 1)) row++;
      if (bytes[bytes.length - 1] !== 10) row++;
      const result = runner.run({ bytes, owned: true, firstRow, context: { tenant: state.tenant!, lastSeq: state.lastSeq! } }).catch((e: unknown) => {
        throw new AuditChainError('ERR_AUDIT_RUNNER_FAILED', `the row verifier failed: ${(e as Error)?.message ?? String(e)}`, { cause: e });
      });
      inFlight.push({ result, firstRow, bytes });
    };
    const settle = async (keep: number) => {
      while (inFlight.length > keep) {
        const batch = inFlight.shift()!;
        const result = await batch.result;
        apply(result, batch.firstRow);
        // A worker hands the bytes back in the result; on this thread they never left.
        reuse(result.bytes ?? batch.bytes);
      }
    };

    const feed = async (final: boolean) => {
      readHeaderAndExport(final);
      if (stage === 'header' || stage === 'export') return;
      if (!final && partsLength < batchBytes) return;
      const data = joined();
      let p = 0;
      // Whole lines, about batchBytes at a time; a line longer than that goes whole.
      while (data.length - p > batchBytes) {
        let cut = data.lastIndexOf(10, p + batchBytes - 1);
        if (cut < p) cut = data.indexOf(10, p + batchBytes);
        if (cut < 0) break;
        if (cut - p > MAX_LINE_BYTES && data.lastIndexOf(10, cut - 1) < p) fail('ERR_AUDIT_LINE_TOO_LONG', 'a record is longer than 1 MiB', row);
        dispatch(data, p, cut + 1);
        p = cut + 1;
        await settle(runner.concurrency);
      }
      if (final) {
        if (p < data.length) dispatch(data, p, data.length);
        keep(new Uint8Array(0));
        return;
      }
      const cut = data.lastIndexOf(10);
      if (cut >= p) {
        dispatch(data, p, cut + 1);
        p = cut + 1;
      }
      if (data.length - p > MAX_LINE_BYTES) fail('ERR_AUDIT_LINE_TOO_LONG', 'a record is longer than 1 MiB', row);
      keep(copyOf(data, p, data.length));
      await settle(runner.concurrency);
    };

    try {
      const reused = typeof input === 'object' && input !== null && (input as { [REUSES_CHUNKS]?: unknown })[REUSES_CHUNKS] === true;
      for await (const chunk of readable(bytesOf(input), () => row)) {
        if (chunk.length === 0) continue;
        state.bytes += chunk.length;
        parts.push(chunk);
        partsLength += chunk.length;
        await feed(false);
        // The source reads into this chunk's buffer again: keep a copy of what is still needed.
        // Only the last part can still be this chunk or a view of it: feed() either left the
        // parts as they were, the chunk last, or replaced them with one remainder.
        if (reused && parts.length > 0 && parts[parts.length - 1]!.buffer === chunk.buffer) {
          const last = parts[parts.length - 1]!;
          parts[parts.length - 1] = copyOf(last, 0, last.length);
        }
        if (options.onProgress && state.bytes >= nextProgress) {
          nextProgress = state.bytes + (1 << 20);
          options.onProgress({ bytes: state.bytes, rows: state.rows });
        }
      }
      if (state.bytes === 0) fail('ERR_AUDIT_EMPTY_FILE', 'the file is empty', 1);
      await feed(true);
      await settle(0);
    } finally {
      // Let abandoned batches finish quietly.
      for (const b of inFlight) b.result.catch(() => undefined);
    }
    options.onProgress?.({ bytes: state.bytes, rows: state.rows });

    if (stage === 'header') fail('ERR_AUDIT_EMPTY_FILE', 'the file has no header', 1);
    if (stage === 'export') fail('ERR_AUDIT_TRUNCATED', 'the file ends after the header', row);
    if (stage === 'entries') fail('ERR_AUDIT_TRUNCATED', `the file ends at seq ${lastSeq} without its checkpoint record: it was cut short`, row, lastSeq + 1);

    // The checkpoint record.
    const d = cpData!;
    if (typeof d.jws !== 'string' || !Array.isArray(d.consistency)) fail('ERR_AUDIT_CSV_MALFORMED', 'the checkpoint record needs "jws" and "consistency"', cpRow);
    let keyRing = ring;
    if (!keyRing) {
      if (d.public_key === null || typeof d.public_key !== 'object') fail('ERR_AUDIT_UNKNOWN_KEY', 'no keys were given and the export embeds none: pass the vendor\'s audit-keys.json', cpRow);
      try {
        keyRing = await createKeyRing({ keys: [d.public_key] }, false);
      } catch (e) {
        fail('ERR_AUDIT_UNKNOWN_KEY', `the key embedded in the export is unusable: ${(e as Error).message}`, cpRow);
      }
      warnings.push('no trusted keys were given: the checkpoint was checked against the key embedded in the export, which proves internal consistency but not who signed it. Pass the vendor\'s published audit-keys.json.');
    }
    const v = await verifyCheckpoint(d.jws as string, keyRing!, typeof d.note === 'string' ? d.note : undefined);
    if (!v.ok) fail(v.code, v.message, cpRow);
    const cp = (v as { checkpoint: Checkpoint }).checkpoint;
    checkpointInfo = { size: cp.size, root: cp.root, chainHead: cp.chain_head, issuedAt: cp.issued_at, kid: (v as { key: { kid: string } }).key.kid, keyTrusted: keyRing!.trusted, previous: cp.previous };
    if (typeof d.note !== 'string') warnings.push('the export carries no C2SP signed note; only the JWS was checked');
    const signingKey = (v as { key: ResolvedKey }).key;
    if (d.public_key !== null && (typeof d.public_key !== 'object' || (await keyThumbprint(d.public_key as { kty: string; crv: string; x: string }).catch(() => '')) !== signingKey.kid)) {
      fail('ERR_AUDIT_SIGNATURE_INVALID', 'the public key embedded in the export is not the key that signed the checkpoint', cpRow);
    }
    if (!(await verifyExportJws(d.export_jws, exportCell, signingKey))) fail('ERR_AUDIT_SIGNATURE_INVALID', 'the export descriptor (record 2) is not signed by the checkpoint key: it was edited', cpRow);
    if (cp.origin !== state.origin || cp.tenant !== state.tenant) fail('ERR_AUDIT_CHECKPOINT_INCONSISTENT', `the checkpoint is for ${cp.origin}, not for this export's log ${state.origin}`, cpRow);
    if (cp.size < lastSeq) fail('ERR_AUDIT_CHECKPOINT_INCONSISTENT', `the checkpoint covers ${cp.size} entries, fewer than the export's ${lastSeq}`, cpRow);
    const proof = (d.consistency as unknown[]).map((h) => (typeof h === 'string' ? fromHex(h) : undefined));
    if (proof.some((p) => !p || p.length !== 32)) fail('ERR_AUDIT_CSV_MALFORMED', 'the consistency proof holds a value that is not a 32-byte hex hash', cpRow);
    const root = tree!.root();
    if (cp.size === lastSeq) {
      if (toHex(root) !== cp.root) fail('ERR_AUDIT_ROOT_MISMATCH', 'the rows do not add up to the signed Merkle root', cpRow);
      if (prevHash !== cp.chain_head) fail('ERR_AUDIT_ROOT_MISMATCH', 'the last row is not the signed chain head', cpRow);
    } else if (!verifyConsistency(lastSeq, cp.size, root, fromHex(cp.root)!, proof as Uint8Array[])) {
      fail('ERR_AUDIT_ROOT_MISMATCH', `the rows do not add up to a prefix of the signed tree (consistency proof from ${lastSeq} to ${cp.size} fails)`, cpRow);
    }

    if (trusted) {
      const t = trusted;
      const inconsistent = (why: string) => {
        trustedInfo = { size: t.size, root: t.root, consistent: false };
        fail('ERR_AUDIT_CHECKPOINT_INCONSISTENT', `SECURITY: ${why}. The log was truncated or rewritten after you saved your checkpoint.`, cpRow);
      };
      if (t.size > cp.size) inconsistent(`the export's checkpoint covers ${cp.size} entries but you hold a checkpoint of ${t.size}`);
      if (t.size === cp.size && t.root !== cp.root) inconsistent(`the export's checkpoint and yours both cover ${t.size} entries but have different roots`);
      if (t.size !== cp.size) {
        const at = trustedAt as { root: string; chainHead: string } | null;
        if (!at) {
          fail('ERR_AUDIT_TRUSTED_CHECKPOINT_OUT_OF_RANGE', `your checkpoint (size ${t.size}) lies outside this export's range (seq ${state.firstSeq}–${lastSeq}, checkpoint ${cp.size}); ask for an export that includes seq ${t.size}`, cpRow);
        } else if (at.root !== t.root || at.chainHead !== t.chain_head) {
          inconsistent(`the entries up to seq ${t.size} do not match your checkpoint`);
        }
      }
      trustedInfo = { size: t.size, root: t.root, consistent: true };
    }
    return finish();
  } catch (e) {
    if (e instanceof Stop) return finish(e.failure);
    // A failing runner (a worker that would not start or crashed) says nothing about the file:
    // it is an environment error, so it is thrown, and callers can retry inline.
    if (isAuditChainError(e) && e.code === 'ERR_AUDIT_RUNNER_FAILED') throw e;
    if (isAuditChainError(e)) return finish({ code: e.code, message: e.message, row: 0 });
    return finish({ code: 'ERR_AUDIT_CSV_MALFORMED', message: `the export could not be read: ${(e as Error).message}`, row: 0 });
  }
}

const EXPORT_KEYS = ['@type', 'bom', 'cell_escape', 'filter', 'first_seq', 'generated_at', 'last_seq', 'origin', 'prefix', 'tenant'];
const CHECKPOINT_KEYS = ['consistency', 'export_jws', 'jws', 'note', 'public_key'];

/**
 * Reads an export or checkpoint record: every cell but `record` and `data` must be empty, and
 * `data` must be the JCS of an object with exactly `keys`, so that no byte of it goes unchecked.
 */
function parseDataRecord(cells: string[], keys: readonly string[], row: number, fail: (code: AuditErrorCode, message: string, row: number) => never): Record<string, unknown> {
  for (let i = 1; i < cells.length - 1; i++) if (cells[i] !== '') fail('ERR_AUDIT_CSV_MALFORMED', `column ${CSV_COLUMNS[i]} of a ${cells[0]} record must be empty`, row);
  const cell = cells[COL.data]!;
  let v: unknown;
  try {
    v = JSON.parse(cell);
  } catch {
    /* reported below */
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail('ERR_AUDIT_CSV_MALFORMED', `the data cell of the ${cells[0]} record is not a JSON object`, row);
  const have = Object.keys(v).sort();
  if (have.join() !== keys.join()) {
    if (cells[0] === 'export' && (v as Record<string, unknown>)['@type'] !== CSV_FORMAT) return fail('ERR_AUDIT_FORMAT_UNSUPPORTED', `unknown export format ${JSON.stringify((v as Record<string, unknown>)['@type'])}; this verifier reads ${CSV_FORMAT}`, row);
    return fail('ERR_AUDIT_CSV_MALFORMED', `the ${cells[0]} record must hold exactly ${keys.join(', ')}`, row);
  }
  let canonical: string | undefined;
  try {
    canonical = canonicalJson(v);
  } catch {
    /* reported below */
  }
  if (canonical !== cell) return fail('ERR_AUDIT_CSV_MALFORMED', `the data cell of the ${cells[0]} record is not canonical JSON (RFC 8785): it was edited`, row);
  return v as Record<string, unknown>;
}

async function verifyExportJws(jws: unknown, descriptorText: string, key: ResolvedKey): Promise<boolean> {
  if (typeof jws !== 'string') return false;
  try {
    const h = decodeProtectedHeader(jws);
    if (h.typ !== EXPORT_JWS_TYP || h.kid !== key.kid) return false;
    const { payload } = await compactVerify(jws, key.key, { algorithms: ['EdDSA', 'Ed25519'] });
    return new TextDecoder().decode(payload) === descriptorText;
  } catch {
    return false;
  }
}

/** Turns a failing byte source (disk error, aborted download) into a located report. */
async function* readable(source: AsyncIterable<Uint8Array>, row: () => number): AsyncIterable<Uint8Array> {
  const it = source[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<Uint8Array>;
    try {
      next = await it.next();
    } catch (e) {
      throw new Stop({ code: 'ERR_AUDIT_INPUT_UNREADABLE', message: `the export could not be read: ${(e as Error)?.message ?? String(e)}`, row: row() });
    }
    if (next.done) return;
    yield next.value;
  }
}

function isSeq(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/**
 * A copy of `a[from, to)` with a buffer of its own (a Node `Buffer`'s `slice` is a view into a
 * shared pool, which could neither be kept safely nor transferred to a worker).
 */
function copyOf(a: Uint8Array, from: number, to: number): Uint8Array {
  return new Uint8Array(a.subarray(from, to));
}

/** Exit code for a report: 0 verified, 1 integrity failure, 2 usage or format error. */
export function exitCodeFor(report: VerifyReport): 0 | 1 | 2 {
  if (report.ok) return 0;
  return report.integrityFailure ? 1 : 2;
}

