/**
 * Verifies a batch of entry rows on its own: cell syntax and unescaping, commitments, leaf hashes
 * and the chain *inside* the batch. What links batches (the first row's seq and prev_hash) and the
 * Merkle tree are checked by the caller, so batches can run in parallel (Web Workers, Node
 * worker threads) and still report the first failure in file order.
 *
 * A v1 record never contains a raw CR or LF: identifiers reject control characters and every
 * JSON cell is JCS, which escapes them. So a batch is a run of whole lines.
 */
import { canonicalJson, type JsonValue } from './canonical-json.js';
import { COL, CSV_COLUMNS, unescapeCell } from './csv/format.js';
import type { AuditErrorCode } from './errors.js';
import { canonicalRecordText, ERASABLE_FIELDS, fieldCommitment, recordLeafHash } from './record.js';
import { toHex, utf8 } from './bytes.js';
import { indexOfByte } from '#byte-search';
import { createFastRowState, reserveLeaf, verifyPlainRow } from './verify-row-fast.js';
import { MAX_RECORD_LENGTH } from './csv/format.js';

/** What a batch needs to know about its export. */
export interface RowBatchContext {
  readonly tenant: string;
  /** The export's declared last seq. */
  readonly lastSeq: number;
}

/**
 * A batch: whole lines of entry rows, possibly followed by the checkpoint record. The verifier
 * hands over the file's bytes (`bytes`), so the batch is decoded where it is verified, and a
 * worker receives it by transfer instead of a copy of a string; `text` is for callers that have
 * the text already.
 */
export interface RowBatch {
  readonly text?: string;
  /** UTF-8 bytes of the lines; checked and decoded by `verifyRowBatch`. */
  readonly bytes?: Uint8Array;
  /**
   * Set by the verifier when `bytes` is a buffer of its own that it reuses: a worker runner may
   * take the whole buffer by transfer, and hands it back as `RowBatchResult.bytes`.
   */
  readonly owned?: boolean;
  /** 1-based record number of the first line. */
  readonly firstRow: number;
  readonly context: RowBatchContext;
}

/** The result of one batch. */
export interface RowBatchResult {
  /** Entry rows verified (before any failure or the first non-entry line). */
  readonly rows: number;
  /** seq and prev_hash of the first entry row (for the caller's boundary check). */
  readonly firstSeq: number | null;
  readonly firstPrevHash: string | null;
  /** seq and hash of the last verified row. */
  readonly lastSeq: number | null;
  readonly lastHash: string | null;
  /** Leaf hashes of the verified rows, 32 bytes each, in order. */
  readonly leafHashes: Uint8Array;
  readonly erased: number;
  /** The first failure, if any; rows after it were not verified. */
  readonly failure?: { code: AuditErrorCode; message: string; row: number; seq?: number };
  /** Text from the first line that is not an entry row (the checkpoint record) to the end. */
  readonly rest?: string;
  /** An owned batch's bytes, handed back by the worker that took them, for the verifier to reuse. */
  readonly bytes?: Uint8Array;
}

const WIDTH = CSV_COLUMNS.length;
const STANDARD: readonly (readonly [string, number])[] = ERASABLE_FIELDS.map((f) => [f, COL[f]] as const);

/** Splits one line into cells. Returns a message for malformed syntax. */
export function splitLine(line: string): string[] | string {
  const cells: string[] = [];
  const n = line.length;
  let p = 0;
  for (;;) {
    if (line.charCodeAt(p) === 34) {
      let q = p + 1;
      let acc = '';
      for (;;) {
        const j = line.indexOf('"', q);
        if (j < 0) return 'a quoted cell is not closed on its line (v1 records never contain line breaks)';
        if (line.charCodeAt(j + 1) === 34) {
          acc += line.slice(q, j + 1);
          q = j + 2;
          continue;
        }
        cells.push(acc + line.slice(q, j));
        p = j + 1;
        break;
      }
      if (p === n) return cells;
      if (line.charCodeAt(p) !== 44) return 'a quoted cell is followed by text other than a comma';
      p++;
    } else {
      const j = line.indexOf(',', p);
      const end = j < 0 ? n : j;
      const cell = line.slice(p, end);
      if (cell.includes('"')) return 'a quote appears inside an unquoted cell';
      if (cell.includes('\r')) return 'a carriage return appears inside a cell';
      cells.push(cell);
      if (j < 0) return cells;
      p = j + 1;
    }
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Checks that bytes are UTF-8. If they are not, finds the first bad line (0x0A never occurs
 * inside a multi-byte sequence, so lines decode on their own): `end` is where it starts.
 */
function validLines(bytes: Uint8Array): { end: number; badLine?: number; message?: string } {
  try {
    strictUtf8.decode(bytes);
    return { end: bytes.length };
  } catch {
    let start = 0;
    for (let line = 0; ; line++) {
      const nl = bytes.indexOf(10, start);
      const end = nl < 0 ? bytes.length : nl + 1;
      try {
        strictUtf8.decode(bytes.subarray(start, end));
      } catch {
        const cut = nl < 0 && isTruncatedSequence(bytes.subarray(start, end));
        return {
          end: start,
          badLine: line,
          message: cut ? 'the file is not valid UTF-8 (it ends inside a multi-byte character)' : 'the file is not valid UTF-8',
        };
      }
      if (nl < 0) return { end: bytes.length };
      start = end;
    }
  }
}

/** Whether the line at `p` (ending at `end`) starts with `entry,`. */
function startsWithEntry(b: Uint8Array, p: number, end: number): boolean {
  return end - p >= 6 && b[p] === 101 && b[p + 1] === 110 && b[p + 2] === 116 && b[p + 3] === 114 && b[p + 4] === 121 && b[p + 5] === 44;
}

/** Whether `bytes` is valid UTF-8 except for an incomplete sequence at its very end. */
function isTruncatedSequence(bytes: Uint8Array): boolean {
  for (let back = 1; back <= 3 && back <= bytes.length; back++) {
    const b = bytes[bytes.length - back]!;
    if ((b & 0xc0) !== 0x80) {
      // A lead byte that promises more continuation bytes than follow it.
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
      if (need <= back) return false;
      try {
        strictUtf8.decode(bytes.subarray(0, bytes.length - back));
        return true;
      } catch {
        return false;
      }
    }
  }
  return false;
}

// JSON cells parse into ordinary objects, so every lookup by a name taken from the file must be an
// own-property lookup: a salt named "constructor" would otherwise find Object.prototype's.
const own = (o: Record<string, unknown>, k: string): unknown => (Object.hasOwn(o, k) ? o[k] : undefined);

class BatchStop {
  constructor(readonly failure: NonNullable<RowBatchResult['failure']>) {}
}

/**
 * Verifies one batch. Never throws.
 *
 * Each row goes through `verifyPlainRow` (verify-row-fast.ts) on the batch's bytes first, and
 * through the general path below only when the fast path declines it: then the general path
 * accepts the row or reports exactly what is wrong with it.
 */
export function verifyRowBatch(batch: RowBatch): RowBatchResult {
  return verifyRows(batch, true);
}

/**
 * `verifyRowBatch` with the fast path turned off, so tests can hold the two paths to the same
 * reports. @internal
 */
export function verifyRowBatchGeneral(batch: RowBatch): RowBatchResult {
  return verifyRows(batch, false);
}

function verifyRows(batch: RowBatch, fastPath: boolean): RowBatchResult {
  const { context } = batch;
  const bytes = batch.bytes ?? utf8.encode(batch.text ?? '');
  /** Set when the bytes are not UTF-8: the rows before the bad line are verified, then this is reported. */
  let encodingFailure: { row: number; message: string } | undefined;
  const st = createFastRowState(context.tenant, context.lastSeq, bytes.length >> 9);
  let rest: string | undefined;
  let row = batch.firstRow;
  let firstPrevHash: string | null = null;
  const hexAt = (at: number) => toHex(st.leaves.subarray(at, at + 32));

  const fail = (code: AuditErrorCode, message: string, seq?: number): never => {
    throw new BatchStop(seq === undefined ? { code, message, row } : { code, message, row, seq });
  };

  const parseObject = (cell: string, what: string, seq: number): Record<string, unknown> => {
    let v: unknown;
    try {
      v = JSON.parse(cell);
    } catch {
      v = undefined;
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) fail('ERR_AUDIT_HASH_MISMATCH', `the ${what} cell is not a JSON object (it was changed)`, seq);
    return v as Record<string, unknown>;
  };

  let failure: RowBatchResult['failure'];
  try {
    let p = 0;
    const n = bytes.length;
    while (p < n) {
      // The fast path finds the row's end itself, takes entry lines of at most MAX_RECORD_LENGTH
      // bytes and checks their UTF-8; bytes are never fewer than UTF-16 code units, so no line it
      // takes is one the general path would call too long.
      const fastEol = fastPath && startsWithEntry(bytes, p, n) ? verifyPlainRow(bytes, p, st) : -1;
      if (fastEol >= 0) {
        if (firstPrevHash === null) firstPrevHash = strictUtf8.decode(bytes.subarray(st.firstPrevHashAt, st.firstPrevHashAt + 64));
        p = fastEol + 1;
        row++;
        continue;
      }
      let eol = indexOfByte(bytes, 10, p);
      if (eol < 0) eol = n;
      const end = eol > p && bytes[eol - 1] === 13 ? eol - 1 : eol;
      const found = validLines(bytes.subarray(p, eol < n ? eol + 1 : n));
      if (found.badLine !== undefined) {
        encodingFailure = { row, message: found.message! };
        break;
      }
      if (eol - p > MAX_RECORD_LENGTH && strictUtf8.decode(bytes.subarray(p, eol)).length > MAX_RECORD_LENGTH) fail('ERR_AUDIT_LINE_TOO_LONG', 'a record is longer than 1 MiB');
      if (!startsWithEntry(bytes, p, end)) {
        const tail = validLines(bytes.subarray(p));
        rest = strictUtf8.decode(bytes.subarray(p, p + tail.end));
        if (tail.badLine !== undefined) encodingFailure = { row: row + tail.badLine, message: tail.message! };
        break;
      }
      const c = splitLine(strictUtf8.decode(bytes.subarray(p, end)));
      if (typeof c === 'string') fail('ERR_AUDIT_CSV_MALFORMED', c);
      const cells = c as string[];
      if (cells.length !== WIDTH) fail('ERR_AUDIT_CSV_MALFORMED', `record has ${cells.length} cells; expected ${WIDTH}`);
      verifyEntry(cells);
      p = eol + 1;
      row++;
    }
  } catch (e) {
    if (!(e instanceof BatchStop)) throw e;
    failure = e.failure;
  }
  if (!failure && encodingFailure) failure = { code: 'ERR_AUDIT_ENCODING', message: encodingFailure.message, row: encodingFailure.row };

  function verifyEntry(c: string[]): void {
    for (let i = 1; i < WIDTH; i++) {
      const cell = c[i]!;
      if (cell.length === 0) continue;
      const ch = cell.charCodeAt(0);
      // Only cells starting with ' = + - @ TAB CR can involve the escape rule (SPEC §8.4).
      if (ch === 39 || ch === 61 || ch === 43 || ch === 45 || ch === 64 || ch === 9 || ch === 13) {
        const u = unescapeCell(cell);
        if (u === undefined) fail('ERR_AUDIT_CSV_MALFORMED', `column ${CSV_COLUMNS[i]} starts with a formula character that was not escaped, so the file was edited or not written by a Stela exporter`);
        c[i] = u!;
      }
    }
    if (c[COL.data] !== '') fail('ERR_AUDIT_CSV_MALFORMED', 'the data column of an entry record must be empty');
    const seqText = c[COL.seq]!;
    let seq: number;
    if (st.firstSeq === null) {
      seq = /^[1-9]\d{0,15}$/.test(seqText) ? Number(seqText) : NaN;
      if (!Number.isSafeInteger(seq)) fail('ERR_AUDIT_SEQ_GAP', `seq ${JSON.stringify(seqText)} is not a sequence number`);
      st.firstSeq = seq;
      firstPrevHash = c[COL.prev_hash]!;
    } else {
      seq = st.expectedSeq;
      if (seqText !== String(seq)) {
        const found = /^\d+$/.test(seqText) ? Number(seqText) : NaN;
        fail('ERR_AUDIT_SEQ_GAP', `expected seq ${seq}, found ${JSON.stringify(seqText)}: a row is missing, duplicated or out of order`, Number.isFinite(found) ? found : seq);
      }
      if (c[COL.prev_hash] !== hexAt(32 * (st.rows - 1))) fail('ERR_AUDIT_CHAIN_BROKEN', `prev_hash does not equal the hash of seq ${seq - 1}`, seq);
    }
    if (seq > context.lastSeq) fail('ERR_AUDIT_SEQ_GAP', `seq ${seq} lies beyond the export's declared last seq ${context.lastSeq}`, seq);

    const commitmentsCell = c[COL.commitments]!;
    const saltsCell = c[COL.salts]!;
    const commitments = commitmentsCell === '{}' ? {} : parseObject(commitmentsCell, 'commitments', seq);
    const salts = saltsCell === '{}' ? {} : parseObject(saltsCell, 'salts', seq);
    let metadataText = c[COL.metadata]!;
    let erased = 0;
    for (const [field, col] of STANDARD) {
      const value = c[col]!;
      const commitment = own(commitments, field);
      const salt = own(salts, field);
      if (commitment === undefined) {
        if (value !== '' || salt !== undefined) fail('ERR_AUDIT_COMMITMENT_MISMATCH', `${field} has a value but no commitment in the hashed entry`, seq);
        continue;
      }
      if (salt === undefined) {
        if (value !== '') fail('ERR_AUDIT_COMMITMENT_MISMATCH', `${field} has a value but no salt`, seq);
        erased++;
        continue;
      }
      if (typeof salt !== 'string' || value === '' || fieldCommitment(field, value, salt) !== commitment) fail('ERR_AUDIT_COMMITMENT_MISMATCH', `${field} does not match its commitment`, seq);
    }
    if (commitmentsCell.includes('"metadata.')) {
      const metadata = parseObject(metadataText, 'metadata', seq) as Record<string, JsonValue>;
      for (const field of Object.keys(commitments)) {
        if (!field.startsWith('metadata.')) continue;
        const key = field.slice(9);
        const salt = own(salts, field);
        if (salt === undefined) {
          if (Object.hasOwn(metadata, key)) fail('ERR_AUDIT_COMMITMENT_MISMATCH', `metadata key ${key} has a value but no salt`, seq);
          erased++;
          continue;
        }
        if (!Object.hasOwn(metadata, key) || typeof salt !== 'string' || fieldCommitment(field, metadata[key]!, salt) !== own(commitments, field)) fail('ERR_AUDIT_COMMITMENT_MISMATCH', `metadata key ${key} does not match its commitment`, seq);
        delete metadata[key];
      }
      metadataText = canonicalJson(metadata);
    }
    for (const field of Object.keys(salts)) if (own(commitments, field) === undefined) fail('ERR_AUDIT_COMMITMENT_MISMATCH', `a salt is given for ${field}, which has no commitment`, seq);

    const leaf = recordLeafHash(
      canonicalRecordText(
        {
          tenant: c[COL.tenant]!,
          seq,
          prev_hash: c[COL.prev_hash]!,
          occurred_at: c[COL.occurred_at]!,
          recorded_at: c[COL.recorded_at]!,
          action: c[COL.action]!,
          outcome: c[COL.outcome] as 'success',
          actor_type: c[COL.actor_type]!,
          actor_id: c[COL.actor_id]!,
          target_type: c[COL.target_type] || undefined,
          target_id: c[COL.target_id] || undefined,
          request_id: c[COL.request_id] || undefined,
          metadata: {},
          commitments: {},
        },
        metadataText,
        commitmentsCell,
      ),
    );
    const hash = toHex(leaf);
    if (hash !== c[COL.hash]) fail('ERR_AUDIT_HASH_MISMATCH', `the row's content does not match its hash (a cell was changed)`, seq);
    if (c[COL.tenant] !== context.tenant) fail('ERR_AUDIT_HASH_MISMATCH', `the row belongs to tenant ${JSON.stringify(c[COL.tenant])}, not ${JSON.stringify(context.tenant)}`, seq);
    reserveLeaf(st);
    st.leaves.set(leaf, 32 * st.rows);
    st.expectedSeq = seq + 1;
    st.rows++;
    st.erased += erased;
  }

  const { rows } = st;
  return {
    rows,
    firstSeq: st.firstSeq,
    firstPrevHash,
    lastSeq: rows ? st.expectedSeq - 1 : null,
    lastHash: rows ? hexAt(32 * (rows - 1)) : null,
    leafHashes: st.leaves.slice(0, 32 * rows),
    erased: st.erased,
    ...(failure ? { failure } : {}),
    ...(rest !== undefined ? { rest } : {}),
  };
}
