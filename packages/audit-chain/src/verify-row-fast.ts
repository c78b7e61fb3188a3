/**
 * The verifier's fast path for one entry row, working on the file's UTF-8 bytes: no decoding, no
 * cell strings, no JSON.parse. It assembles the commitment inputs (SPEC §5) and the leaf bytes
 * (SPEC §4) straight from the cells into a scratch array and hashes them there.
 *
 * It only ever *accepts*. A row it does not recognise as plain and valid (a cell that starts with
 * a formula character, a value that JSON would escape, a metadata commitment, any mismatch) is
 * declined, and `verifyRowBatch` runs the general path on it, which either accepts it or names
 * the exact failure. So the two paths cannot disagree about a report: the fast one accepts a
 * subset of what the general one accepts, and computes the same hashes from the same bytes.
 * A differential test (test/verify-row-fast.property.test.ts) holds it to that.
 */
import { indexOfByte } from '#byte-search';
import { sha256Into } from '#digest';
import { COL, CSV_COLUMNS, MAX_RECORD_LENGTH } from './csv/format.js';
import { COMMITMENT_PREFIX, ENTRY_TYPE } from './record.js';

const WIDTH = CSV_COLUMNS.length;
const utf8 = new TextEncoder();
const bytesOf = (s: string) => utf8.encode(s);

/** The standard erasable fields in JCS (UTF-16 code unit) order, as they appear in a canonical cell. */
const FIELDS = ['actor_display', 'actor_email', 'ip', 'target_display', 'user_agent'] as const;
const FIELD_COLUMNS = FIELDS.map((f) => COL[f]);
const FIELD_BYTES = FIELDS.map(bytesOf);
/** `stela.audit/commitment/v1\n["` */
const COMMIT_OPEN = bytesOf(COMMITMENT_PREFIX + '["');

/** Pieces of the leaf object's JCS text, in key order (SPEC §4; `canonicalRecordText`). */
const L = {
  open: bytesOf(`\u0000{"@type":"${ENTRY_TYPE}","action":"`),
  actorId: bytesOf('","actor_id":"'),
  actorType: bytesOf('","actor_type":"'),
  commitments: bytesOf('","commitments":'),
  metadata: bytesOf(',"metadata":'),
  occurredAt: bytesOf(',"occurred_at":"'),
  outcome: bytesOf('","outcome":"'),
  prevHash: bytesOf('","prev_hash":"'),
  recordedAt: bytesOf('","recorded_at":"'),
  requestId: bytesOf('","request_id":"'),
  seq: bytesOf('","seq":'),
  targetId: bytesOf(',"target_id":"'),
  targetType: bytesOf('","target_type":"'),
  targetTypeAfterSeq: bytesOf(',"target_type":"'),
  tenantAfterString: bytesOf('","tenant":"'),
  tenantAfterSeq: bytesOf(',"tenant":"'),
  close: bytesOf('"}'),
};

/** Lower-case hex digit → value; 255 for anything else. */
const HEX = new Uint8Array(256).fill(255);
for (let i = 0; i < 16; i++) HEX['0123456789abcdef'.charCodeAt(i)] = i;

/** What the fast path reads and updates; owned by one `verifyRowBatch` call. */
export interface FastRowState {
  /** Leaf digests of the accepted rows, 32 bytes each; row `rows` is written at `32 * rows`. */
  leaves: Uint8Array;
  rows: number;
  /** seq the next row must have; ignored until `firstSeq` is set. */
  expectedSeq: number;
  firstSeq: number | null;
  /** Byte offset of the first prev_hash cell of the batch (when `firstSeq` was set by this path). */
  firstPrevHashAt: number;
  erased: number;
  readonly lastSeq: number;
  /** The export's tenant as UTF-8; null when it is not well-formed Unicode (then no row is plain). */
  readonly tenant: Uint8Array | null;
  /** Scratch for hash inputs, grown as needed. */
  scratch: Uint8Array;
  /** Cell bounds of the current row, and whether each cell was quoted (1) or not (0). */
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly kinds: Uint8Array;
  readonly digest: Uint8Array;
  /**
   * Where the row's hex differed from the hash computed for it, when that is why the last row was
   * declined (the computed hash is in `digest`); -1 otherwise. Tests forge rows with it, as a
   * producer signing whatever bytes it liked would.
   */
  mismatchAt: number;
  /** Where the current row's text ends (before CR LF or LF) and where its line ends (the LF). */
  end: number;
  eol: number;
  /** OR of every row byte copied into a hash input: bit 7 set means the row is not ASCII. */
  high: number;
  /** Per erasable field (FIELDS order): where its commitment hex and salt are in the row, or -1. */
  readonly commitmentAt: Int32Array;
  readonly saltStart: Int32Array;
  readonly saltEnd: Int32Array;
}

/**
 * Creates the state for one batch: `verifyPlainRow` then reads that batch's bytes, row after row
 * from the front (it remembers positions in them).
 */
export function createFastRowState(tenant: string, lastSeq: number, rowsHint: number): FastRowState {
  return {
    leaves: new Uint8Array(32 * Math.max(16, rowsHint)),
    rows: 0,
    expectedSeq: 0,
    firstSeq: null,
    firstPrevHashAt: -1,
    erased: 0,
    lastSeq,
    // UTF-8 would turn a lone surrogate into U+FFFD, which a row's tenant cell could then match.
    tenant: /\p{Cs}/u.test(tenant) ? null : bytesOf(tenant),
    scratch: new Uint8Array(8192),
    starts: new Int32Array(WIDTH),
    ends: new Int32Array(WIDTH),
    kinds: new Uint8Array(WIDTH),
    digest: new Uint8Array(32),
    mismatchAt: -1,
    end: 0,
    eol: 0,
    high: 0,
    commitmentAt: new Int32Array(FIELDS.length),
    saltStart: new Int32Array(FIELDS.length),
    saltEnd: new Int32Array(FIELDS.length),
  };
}

/** Makes room for one more leaf digest. */
export function reserveLeaf(st: FastRowState): void {
  if (st.leaves.length < 32 * (st.rows + 1)) {
    const grown = new Uint8Array(st.leaves.length * 2);
    grown.set(st.leaves);
    st.leaves = grown;
  }
}

/**
 * Verifies the entry row that starts at `b[start]` and, if it is plain and valid, records it in
 * `st` and returns where its line ends (the index of its LF, or `b.length` for a last line without
 * one). Returns -1, changing nothing but scratch, otherwise. It finds the end of the row itself:
 * the row's last cell, `data`, is empty, so the row ends right after its 22nd comma.
 */
export function verifyPlainRow(b: Uint8Array, start: number, st: FastRowState): number {
  st.mismatchAt = -1;
  if (!scanCells(b, start, st) || st.eol - start > MAX_RECORD_LENGTH) return -1;
  const end = st.end;
  st.high = 0;
  const { starts: cs, ends: ce } = st;

  // Cells 1..22 lose the `'` of the formula escape (SPEC §8.4), as in the general path; a cell
  // that starts with a formula character unescaped, or with a `'` that escapes nothing, could not
  // have been written.
  for (let i = 1; i < WIDTH; i++) {
    if (cs[i] === ce[i]) continue;
    const ch = b[cs[i]!]!;
    if (ch === 39) {
      if (cs[i]! + 1 === ce[i]! || !isFormulaStart(b[cs[i]! + 1]!)) return -1;
      cs[i] = cs[i]! + 1;
    } else if (ch === 61 || ch === 43 || ch === 45 || ch === 64 || ch === 9 || ch === 13) {
      return -1;
    }
  }

  // seq: canonical decimal, the next expected one (any seq for the batch's first row).
  const seq = readSeq(b, cs[COL.seq]!, ce[COL.seq]!);
  if (seq < 0) return -1;
  if (st.firstSeq !== null) {
    if (seq !== st.expectedSeq) return -1;
    if (!hexEquals(b, cs[COL.prev_hash]!, ce[COL.prev_hash]!, st.leaves, 32 * (st.rows - 1))) return -1;
  } else if (ce[COL.prev_hash]! - cs[COL.prev_hash]! !== 64) {
    return -1;
  }
  if (seq > st.lastSeq) return -1;
  if (st.tenant === null || !bytesEqualAt(b, cs[COL.tenant]!, ce[COL.tenant]!, st.tenant)) return -1;

  // Commitments and salts: canonical cells naming standard fields only.
  if (!readFieldMap(b, COL.commitments, st, true) || !readFieldMap(b, COL.salts, st, false)) return -1;
  let erased = 0;
  for (let f = 0; f < FIELDS.length; f++) {
    const col = FIELD_COLUMNS[f]!;
    const empty = cs[col] === ce[col];
    const at = st.commitmentAt[f]!;
    if (at < 0) {
      if (!empty || st.saltStart[f]! >= 0) return -1;
      continue;
    }
    if (st.saltStart[f]! < 0) {
      if (!empty) return -1;
      erased++;
      continue;
    }
    if (empty) return -1;
    // stela.audit/commitment/v1\n["<salt>","<field>","<value>"]: salt and value, and under 64
    // bytes more.
    const w = room(st, st.saltEnd[f]! - st.saltStart[f]! + ce[col]! - cs[col]! + 64);
    let o = put(w, 0, COMMIT_OPEN);
    o = copy(b, st.saltStart[f]!, st.saltEnd[f]!, w, o, st);
    w[o++] = 34; w[o++] = 44; w[o++] = 34;
    o = put(w, o, FIELD_BYTES[f]!);
    w[o++] = 34; w[o++] = 44; w[o++] = 34;
    o = copyJsonString(b, cs[col]!, ce[col]!, w, o, st);
    if (o < 0) return -1;
    w[o++] = 34; w[o++] = 93;
    // Writes past a typed array's end are dropped silently; were the room ever short, the hash
    // would cover a prefix of the input. Never hash a truncated input: decline.
    if (o > w.length) return -1;
    sha256Into(w, 0, o, st.digest, 0);
    if (!hexEquals(b, at, at + 64, st.digest, 0)) return mismatch(st, at, st.digest, 0);
  }

  // The leaf: JCS of the leaf object, keys in order, after the 0x00 leaf prefix. Optional members
  // are absent when their cell is empty. A string member's closing quote comes with the next piece.
  const w = room(st, end - start + 512);
  let o = put(w, 0, L.open);
  o = str(b, COL.action, st, w, o);
  o = str(b, COL.actor_id, st, w, put(w, o, L.actorId));
  o = str(b, COL.actor_type, st, w, put(w, o, L.actorType));
  o = copyCell(b, COL.commitments, st, w, put(w, o, L.commitments));
  o = copyCell(b, COL.metadata, st, w, put(w, o, L.metadata));
  o = str(b, COL.occurred_at, st, w, put(w, o, L.occurredAt));
  o = str(b, COL.outcome, st, w, put(w, o, L.outcome));
  o = str(b, COL.prev_hash, st, w, put(w, o, L.prevHash));
  o = str(b, COL.recorded_at, st, w, put(w, o, L.recordedAt));
  if (cs[COL.request_id] !== ce[COL.request_id]) o = str(b, COL.request_id, st, w, put(w, o, L.requestId));
  o = put(w, o, L.seq);
  o = copy(b, cs[COL.seq]!, ce[COL.seq]!, w, o, st);
  let afterString = false;
  if (cs[COL.target_id] !== ce[COL.target_id]) {
    o = str(b, COL.target_id, st, w, put(w, o, L.targetId));
    afterString = true;
  }
  if (cs[COL.target_type] !== ce[COL.target_type]) {
    o = str(b, COL.target_type, st, w, put(w, o, afterString ? L.targetType : L.targetTypeAfterSeq));
    afterString = true;
  }
  o = str(b, COL.tenant, st, w, put(w, o, afterString ? L.tenantAfterString : L.tenantAfterSeq));
  if (o < 0) return -1;
  o = put(w, o, L.close);
  if (o > w.length) return -1;

  reserveLeaf(st);
  const leafAt = 32 * st.rows;
  sha256Into(w, 0, o, st.leaves, leafAt);
  if (!hexEquals(b, cs[COL.hash]!, ce[COL.hash]!, st.leaves, leafAt)) return ce[COL.hash]! - cs[COL.hash]! === 64 ? mismatch(st, cs[COL.hash]!, st.leaves, leafAt) : -1;
  // Every byte of the row is structure, a checked hex or decimal digit, or copied above; so a row
  // whose copied bytes are all ASCII is UTF-8, and any other row is checked here (SPEC §9 check 2).
  if (st.high & 0x80 && !isUtf8(b, start, end)) return -1;

  if (st.firstSeq === null) {
    st.firstSeq = seq;
    st.firstPrevHashAt = cs[COL.prev_hash]!;
  }
  st.expectedSeq = seq + 1;
  st.rows++;
  st.erased += erased;
  return st.eol;
}

function mismatch(st: FastRowState, at: number, digest: Uint8Array, from: number): -1 {
  st.mismatchAt = at;
  st.digest.set(digest.subarray(from, from + 32));
  return -1;
}

/** `'`, `=`, `+`, `-`, `@`, TAB or CR: the characters an escaped cell starts with after its `'`. */
function isFormulaStart(ch: number): boolean {
  return ch === 39 || ch === 61 || ch === 43 || ch === 45 || ch === 64 || ch === 9 || ch === 13;
}

/**
 * Finds the 23 cells of the row and its end (`st.end`, `st.eol`). Declines a quoted cell that is
 * not closed, text after a closing quote, fewer cells, or a `data` cell that is not empty and last.
 * A search may run past the row's LF when the row is malformed; every cell is then either copied
 * by a function that declines LF (and, where the general path calls it malformed, a quote or CR in
 * an unquoted cell: copyJsonString, copyCell), or is hex, decimal or a field map read strictly.
 */
function scanCells(b: Uint8Array, start: number, st: FastRowState): boolean {
  const { starts, ends, kinds } = st;
  const n = b.length;
  let i = start;
  for (let k = 0; k < WIDTH - 1; k++) {
    if (b[i] === 34) {
      let q = i + 1;
      for (;;) {
        const j = indexOfByte(b, 34, q);
        if (j < 0) return false;
        if (b[j + 1] === 34) {
          q = j + 2;
          continue;
        }
        starts[k] = i + 1;
        ends[k] = j;
        kinds[k] = 1;
        i = j + 1;
        break;
      }
      if (b[i] !== 44) return false;
    } else {
      const j = indexOfByte(b, 44, i);
      if (j < 0) return false;
      starts[k] = i;
      ends[k] = j;
      kinds[k] = 0;
      i = j;
    }
    i++;
  }
  // The data cell: empty, then CR LF, LF, or the end of the bytes.
  starts[WIDTH - 1] = ends[WIDTH - 1] = st.end = i;
  kinds[WIDTH - 1] = 0;
  if (i === n || b[i] === 10) st.eol = i;
  else if (b[i] === 13 && b[i + 1] === 10) st.eol = i + 1;
  else return false;
  return true;
}

/** A canonical seq cell (`^[1-9]\d{0,15}$`, a safe integer) as a number; -1 otherwise. */
function readSeq(b: Uint8Array, s: number, e: number): number {
  const n = e - s;
  if (n < 1 || n > 16 || b[s] === 48) return -1;
  let v = 0;
  for (let i = s; i < e; i++) {
    const d = b[i]! - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return Number.isSafeInteger(v) ? v : -1;
}

/** Whether `b[s, e)` is 64 lower-case hex digits spelling `d[at, at + 32)`. */
function hexEquals(b: Uint8Array, s: number, e: number, d: Uint8Array, at: number): boolean {
  if (e - s !== 64) return false;
  for (let i = 0; i < 32; i++) {
    const hi = HEX[b[s + 2 * i]!]!;
    const lo = HEX[b[s + 2 * i + 1]!]!;
    if (hi > 15 || lo > 15 || ((hi << 4) | lo) !== d[at + i]) return false;
  }
  return true;
}

function bytesEqualAt(b: Uint8Array, s: number, e: number, x: Uint8Array): boolean {
  if (e - s !== x.length) return false;
  for (let i = 0; i < x.length; i++) if (b[s + i] !== x[i]) return false;
  return true;
}

/**
 * Reads a canonical `{"<field>":"<string>",…}` cell (quoted in the CSV, so each `"` is doubled)
 * whose keys are standard erasable fields in JCS order. For commitments each value must be 64
 * lower-case hex digits; for salts, any string JSON would not escape. `{}` may be unquoted.
 */
function readFieldMap(b: Uint8Array, col: number, st: FastRowState, commitments: boolean): boolean {
  const at = commitments ? st.commitmentAt : st.saltStart;
  at.fill(-1);
  let p = st.starts[col]!;
  const e = st.ends[col]!;
  if (st.kinds[col] === 0) return e - p === 2 && b[p] === 123 && b[p + 1] === 125;
  if (b[p] !== 123) return false;
  p++;
  let last = -1;
  for (;;) {
    // ""<field>"":""
    if (b[p] !== 34 || b[p + 1] !== 34) return false;
    p += 2;
    const f = matchField(b, p, last + 1);
    if (f < 0) return false;
    p += FIELD_BYTES[f]!.length;
    if (b[p] !== 34 || b[p + 1] !== 34 || b[p + 2] !== 58 || b[p + 3] !== 34 || b[p + 4] !== 34) return false;
    p += 5;
    const s = p;
    if (commitments) {
      p += 64;
      for (let i = s; i < p; i++) if (HEX[b[i]!]! > 15) return false;
    } else {
      for (; p < e; p++) {
        const c = b[p]!;
        if (c === 34 || c === 92 || c < 32) break;
      }
    }
    if (b[p] !== 34 || b[p + 1] !== 34) return false;
    at[f] = s;
    if (!commitments) st.saltEnd[f] = p;
    p += 2;
    last = f;
    if (b[p] === 125) return p + 1 === e;
    if (b[p] !== 44) return false;
    p++;
  }
}

/** The index of the field spelled at `b[p…]` followed by `""`, searching from `from`; -1 if none. */
function matchField(b: Uint8Array, p: number, from: number): number {
  for (let f = from; f < FIELDS.length; f++) {
    const x = FIELD_BYTES[f]!;
    let i = 0;
    while (i < x.length && b[p + i] === x[i]) i++;
    if (i === x.length && b[p + i] === 34) return f;
  }
  return -1;
}

/** The scratch array, at least `n` bytes long. */
function room(st: FastRowState, n: number): Uint8Array {
  if (st.scratch.length < n) st.scratch = new Uint8Array(Math.max(n, 2 * st.scratch.length));
  return st.scratch;
}

function put(w: Uint8Array, o: number, x: Uint8Array): number {
  if (o < 0) return o;
  w.set(x, o);
  return o + x.length;
}

function copy(b: Uint8Array, s: number, e: number, w: Uint8Array, o: number, st: FastRowState): number {
  if (o < 0) return o;
  let high = 0;
  for (let i = s; i < e; i++) high |= w[o++] = b[i]!;
  st.high |= high;
  return o;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function isUtf8(b: Uint8Array, s: number, e: number): boolean {
  try {
    strictUtf8.decode(b.subarray(s, e));
    return true;
  } catch {
    return false;
  }
}

/**
 * Copies a cell's text as the inside of a JSON string, which is the text itself when it has no
 * `"`, `\` or C0 control (JSON.stringify escapes exactly those, for well-formed text); returns -1
 * when it has one of them.
 */
function copyJsonString(b: Uint8Array, s: number, e: number, w: Uint8Array, o: number, st: FastRowState): number {
  let high = 0;
  for (let i = s; i < e; i++) {
    const c = b[i]!;
    if (c < 32 || c === 34 || c === 92) return -1;
    high |= w[o++] = c;
  }
  st.high |= high;
  return o;
}

/**
 * `copyJsonString` of cell `col` at `o`, passing -1 through, so a leaf is assembled in a row of
 * calls and checked once at the end.
 */
function str(b: Uint8Array, col: number, st: FastRowState, w: Uint8Array, o: number): number {
  return o < 0 ? o : copyJsonString(b, st.starts[col]!, st.ends[col]!, w, o, st);
}

/**
 * Copies a JSON cell's text, undoing the CSV quote doubling of a quoted cell. A cell with an LF
 * in it runs past its row, and an unquoted cell with a quote or CR in it is malformed (SPEC §8.1):
 * -1 for both.
 */
function copyCell(b: Uint8Array, col: number, st: FastRowState, w: Uint8Array, o: number): number {
  const e = st.ends[col]!;
  if (o < 0) return o;
  const quoted = st.kinds[col] !== 0;
  let high = 0;
  for (let i = st.starts[col]!; i < e; i++) {
    const c = b[i]!;
    if (c === 10 || (!quoted && (c === 34 || c === 13))) return -1;
    high |= w[o++] = c;
    if (c === 34) i++; // in a quoted cell every quote inside is doubled (scanCells)
  }
  st.high |= high;
  return o;
}
