/**
 * The isomorphic streaming verifier for `stela.audit/csv/v1` exports (SPEC.md §9). It reads
 * `Blob`/`File` in browsers and any byte stream in Node, holds O(log n) state, and returns a
 * report value: it never throws for bad input.
 */
import { digestBackend } from '#digest';
import { fromHex, toHex } from './bytes.js';
import { canonicalJson, type JsonValue } from './canonical-json.js';
import { verifyCheckpoint, type Checkpoint } from './checkpoint.js';
import { createCsvRecordReader, type CsvChunk } from './csv/from-csv.js';
import { BOM, CELL_ESCAPE, COL, CSV_COLUMNS, CSV_FORMAT, unescapeCell } from './csv/format.js';
import { INTEGRITY_CODES, isAuditChainError, type AuditErrorCode } from './errors.js';
import { createKeyRing, type KeyRing } from './keys.js';
import { createTreeBuilder, decodeCompactRange, verifyConsistency, type TreeBuilder } from './merkle.js';
import { canonicalRecordText, ERASABLE_FIELDS, fieldCommitment, recordLeafHash, GENESIS_HASH } from './record.js';

/** Anything the verifier can read. */
export type VerifyInput = Blob | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Uint8Array | string;

/** Options for `verifyExport`. */
export interface VerifyOptions {
  /** The vendor's published JWKS (`/.well-known/audit-keys.json`). Without it, the key embedded in the export is used and the report says the key is not trusted. */
  readonly keys?: unknown;
  /** A checkpoint JWS the customer already holds; an export shorter than or rewritten since it fails. */
  readonly trustedCheckpoint?: string;
  /** Called about every MiB. */
  readonly onProgress?: (p: { bytes: number; rows: number }) => void;
}

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
const STANDARD_FIELD_COL: readonly (readonly [string, number])[] = ERASABLE_FIELDS.map((f) => [f, COL[f]] as const);

/**
 * Verifies an export: every row's hash and commitments, the chain, the sequence, the Merkle root
 * against the signed checkpoint, the checkpoint's signatures and key, and (optionally)
 * consistency with a checkpoint the caller already trusts.
 * @example
 * const report = await verifyExport(file, { keys: await (await fetch('/.well-known/audit-keys.json')).json() });
 * if (!report.ok) console.log(report.failure?.row, report.code);
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
    const reader = createCsvRecordReader(CSV_COLUMNS.length);
    let stage = 'header' as 'header' | 'export' | 'entries' | 'done';
    let tree: TreeBuilder | null = null;
    let prevHash = GENESIS_HASH;
    let expectedSeq = 0;
    let lastSeq = 0;
    let trustedAt: { root: string; chainHead: string } | null = null;
    let cpData: Record<string, unknown> | null = null;
    let first = true;
    let nextProgress = 1 << 20;

    const fail = (code: AuditErrorCode, message: string, row: number, seq?: number): never => {
      throw new Stop(seq === undefined ? { code, message, row } : { code, message, row, seq });
    };

    const captureTrusted = () => {
      if (trusted && tree && tree.size === trusted.size) trustedAt = { root: toHex(tree.root()), chainHead: prevHash };
    };

    const consume = (chunk: CsvChunk) => {
      handleRecords(chunk.records, reader.rows - chunk.records.length + 1);
      if (chunk.problem) fail(chunk.problem.code, chunk.problem.message, chunk.problem.row);
    };

    const handleRecords = (records: string[][], firstRow: number) => {
      for (let r = 0; r < records.length; r++) {
        const cells = records[r]!;
        const row = firstRow + r;
        if (stage === 'header') {
          if (cells.join(',') !== CSV_COLUMNS.join(',')) {
            const looksVersioned = cells[0] === 'record';
            fail(
              looksVersioned ? 'ERR_AUDIT_FORMAT_UNSUPPORTED' : 'ERR_AUDIT_CSV_MALFORMED',
              looksVersioned
                ? `the header does not match ${CSV_FORMAT}; this file may use a newer format version`
                : `this is not a Stela audit export: the header must start with "record,seq,tenant"`,
              row,
            );
          }
          stage = 'export';
          continue;
        }
        const kind = cells[0];
        if (stage === 'export') {
          if (kind !== 'export') fail('ERR_AUDIT_CSV_MALFORMED', 'the second record must be the export descriptor (record "export")', row);
          const d = parseData(cells[COL.data]!, row, fail);
          if (d['@type'] !== CSV_FORMAT) fail('ERR_AUDIT_FORMAT_UNSUPPORTED', `unknown export format ${JSON.stringify(d['@type'])}; this verifier reads ${CSV_FORMAT}`, row);
          if (d.cell_escape !== CELL_ESCAPE) fail('ERR_AUDIT_FORMAT_UNSUPPORTED', `unknown cell escape rule ${JSON.stringify(d.cell_escape)}`, row);
          const firstSeq = d.first_seq;
          const lastSeqDecl = d.last_seq;
          const prefix = d.prefix as Record<string, unknown> | undefined;
          if (!isSeq(firstSeq) || firstSeq < 1 || !isSeq(lastSeqDecl) || lastSeqDecl < firstSeq - 1 || typeof d.origin !== 'string' || typeof d.tenant !== 'string' || !prefix || prefix.size !== firstSeq - 1 || typeof prefix.chain_head !== 'string' || !HEX64.test(prefix.chain_head) || !Array.isArray(prefix.compact_range)) {
            fail('ERR_AUDIT_CSV_MALFORMED', 'the export descriptor is missing or has invalid fields (origin, tenant, first_seq, last_seq, prefix)', row);
          }
          if (d.bom === true && !state.bom) warnings.push('the export declares a BOM but the file has none');
          if (d.bom !== true && state.bom) warnings.push('the file starts with a BOM that the export does not declare (it was probably re-saved by a spreadsheet)');
          state.format = CSV_FORMAT;
          state.origin = d.origin as string;
          state.tenant = d.tenant as string;
          state.firstSeq = firstSeq as number;
          state.lastSeq = lastSeqDecl as number;
          const nodes = (prefix!.compact_range as unknown[]).map((h) => (typeof h === 'string' ? fromHex(h) : undefined));
          if (nodes.some((n) => !n || n.length !== 32)) fail('ERR_AUDIT_CSV_MALFORMED', 'the prefix compact range holds a value that is not a 32-byte hex hash', row);
          let start;
          try {
            start = decodeCompactRange(firstSeq as number - 1, concat(nodes as Uint8Array[]));
          } catch {
            fail('ERR_AUDIT_CSV_MALFORMED', `the prefix compact range has the wrong number of hashes for size ${(firstSeq as number) - 1}`, row);
          }
          tree = createTreeBuilder(start);
          prevHash = prefix!.chain_head as string;
          if (firstSeq === 1 && prevHash !== GENESIS_HASH) fail('ERR_AUDIT_CHAIN_BROKEN', 'an export from seq 1 must start from the genesis hash', row);
          expectedSeq = firstSeq as number;
          lastSeq = (firstSeq as number) - 1;
          if (trusted) {
            if (trusted.origin !== state.origin) fail('ERR_AUDIT_TRUSTED_CHECKPOINT_INVALID', `the trusted checkpoint belongs to ${trusted.origin}, not to this export's log ${state.origin}`, row);
            captureTrusted();
          }
          stage = 'entries';
          continue;
        }
        if (stage === 'entries') {
          if (kind === 'checkpoint') {
            cpData = parseData(cells[COL.data]!, row, fail);
            if (lastSeq < state.lastSeq!) fail('ERR_AUDIT_TRUNCATED', `the export declares entries up to seq ${state.lastSeq} but the rows stop at seq ${lastSeq}`, row, lastSeq + 1);
            stage = 'done';
            continue;
          }
          if (kind !== 'entry') fail('ERR_AUDIT_CSV_MALFORMED', `unexpected record kind ${JSON.stringify(kind)}`, row);
          verifyEntry(cells, row);
          continue;
        }
        fail('ERR_AUDIT_CSV_MALFORMED', 'records follow the checkpoint record; the checkpoint must be last', row);
      }
    };

    const verifyEntry = (raw: string[], row: number) => {
      const c = raw;
      for (let i = 1; i < c.length; i++) {
        const cell = c[i]!;
        if (cell.length === 0) continue;
        const ch = cell.charCodeAt(0);
        // Only cells starting with ' = + - @ TAB CR can involve the escape rule.
        if (ch === 39 || ch === 61 || ch === 43 || ch === 45 || ch === 64 || ch === 9 || ch === 13) {
          const u = unescapeCell(cell);
          if (u === undefined) fail('ERR_AUDIT_CSV_MALFORMED', `column ${CSV_COLUMNS[i]} starts with a formula character that was not escaped, so the file was edited or not written by a Stela exporter`, row);
          c[i] = u!;
        }
      }
      const seqText = c[COL.seq]!;
      if (seqText !== String(expectedSeq)) {
        const found = /^\d+$/.test(seqText) ? Number(seqText) : NaN;
        if (Number.isFinite(found) && found > state.lastSeq!) fail('ERR_AUDIT_SEQ_GAP', `seq ${found} lies beyond the export's declared last seq ${state.lastSeq}`, row, found);
        fail('ERR_AUDIT_SEQ_GAP', `expected seq ${expectedSeq}, found ${JSON.stringify(seqText)}: a row is missing, duplicated or out of order`, row, Number.isFinite(found) ? found : expectedSeq);
      }
      const seq = expectedSeq;
      if (seq > state.lastSeq!) fail('ERR_AUDIT_SEQ_GAP', `seq ${seq} lies beyond the export's declared last seq ${state.lastSeq}`, row, seq);
      if (c[COL.prev_hash] !== prevHash) fail('ERR_AUDIT_CHAIN_BROKEN', `prev_hash does not equal the hash of seq ${seq - 1}`, row, seq);

      const commitmentsCell = c[COL.commitments]!;
      const saltsCell = c[COL.salts]!;
      let commitments: Record<string, unknown> = {};
      let salts: Record<string, unknown> = {};
      if (commitmentsCell !== '{}') commitments = parseObject(commitmentsCell, 'commitments', row, seq);
      if (saltsCell !== '{}') salts = parseObject(saltsCell, 'salts', row, seq);
      let metadataText = c[COL.metadata]!;
      let erased = 0;
      for (const [field, col] of STANDARD_FIELD_COL) {
        const value = c[col]!;
        const commitment = commitments[field];
        if (commitment === undefined) {
          if (value !== '' || salts[field] !== undefined) fail('ERR_AUDIT_COMMITMENT_MISMATCH', `${field} has a value but no commitment in the hashed entry`, row, seq);
          continue;
        }
        const salt = salts[field];
        if (salt === undefined) {
          if (value !== '') fail('ERR_AUDIT_COMMITMENT_MISMATCH', `${field} has a value but no salt`, row, seq);
          erased++;
          continue;
        }
        if (typeof salt !== 'string' || fieldCommitment(field, value, salt) !== commitment) fail('ERR_AUDIT_COMMITMENT_MISMATCH', `${field} does not match its commitment`, row, seq);
      }
      if (commitmentsCell.includes('"metadata.')) {
        const metadata = parseObject(metadataText, 'metadata', row, seq) as Record<string, JsonValue>;
        for (const field of Object.keys(commitments)) {
          if (!field.startsWith('metadata.')) continue;
          const key = field.slice(9);
          const salt = salts[field];
          if (salt === undefined) {
            if (key in metadata) fail('ERR_AUDIT_COMMITMENT_MISMATCH', `metadata key ${key} has a value but no salt`, row, seq);
            erased++;
            continue;
          }
          if (!(key in metadata) || typeof salt !== 'string' || fieldCommitment(field, metadata[key]!, salt) !== commitments[field]) fail('ERR_AUDIT_COMMITMENT_MISMATCH', `metadata key ${key} does not match its commitment`, row, seq);
          delete metadata[key];
        }
        metadataText = canonicalJson(metadata);
      }
      for (const field of Object.keys(salts)) if (commitments[field] === undefined) fail('ERR_AUDIT_COMMITMENT_MISMATCH', `a salt is given for ${field}, which has no commitment`, row, seq);

      const leaf = recordLeafHash(
        canonicalRecordText(
          {
            tenant: c[COL.tenant]!,
            seq,
            prev_hash: prevHash,
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
      if (hash !== c[COL.hash]) fail('ERR_AUDIT_HASH_MISMATCH', `the row's content does not match its hash (a cell was changed)`, row, seq);
      if (c[COL.tenant] !== state.tenant) fail('ERR_AUDIT_HASH_MISMATCH', `the row belongs to tenant ${JSON.stringify(c[COL.tenant])}, not ${JSON.stringify(state.tenant)}`, row, seq);
      tree!.append(leaf);
      prevHash = hash;
      lastSeq = seq;
      expectedSeq = seq + 1;
      state.rows++;
      state.erased += erased;
      captureTrusted();
    };

    const parseObject = (text: string, what: string, row: number, seq: number): Record<string, unknown> => {
      let v: unknown;
      try {
        v = JSON.parse(text);
      } catch {
        v = undefined;
      }
      if (typeof v !== 'object' || v === null || Array.isArray(v)) fail('ERR_AUDIT_HASH_MISMATCH', `the ${what} cell is not a JSON object (it was changed)`, row, seq);
      return v as Record<string, unknown>;
    };

    for await (const chunk of bytesOf(input)) {
      if (chunk.length === 0) continue;
      state.bytes += chunk.length;
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        fail('ERR_AUDIT_ENCODING', 'the file is not valid UTF-8', reader.rows + 1);
      }
      if (first && text!.length > 0) {
        first = false;
        if (text!.startsWith(BOM)) {
          state.bom = true;
          text = text!.slice(1);
        }
      }
      consume(reader.push(text!));
      if (options.onProgress && state.bytes >= nextProgress) {
        nextProgress = state.bytes + (1 << 20);
        options.onProgress({ bytes: state.bytes, rows: state.rows });
      }
    }
    let tail: string;
    try {
      tail = decoder.decode();
    } catch {
      fail('ERR_AUDIT_ENCODING', 'the file is not valid UTF-8 (it ends inside a multi-byte character)', reader.rows + 1);
    }
    if (state.bytes === 0 || (stage === 'header' && reader.rows === 0 && tail! === '' && first)) fail('ERR_AUDIT_EMPTY_FILE', 'the file is empty', 1);
    if (tail!) consume(reader.push(tail!));
    consume(reader.end());
    options.onProgress?.({ bytes: state.bytes, rows: state.rows });

    if (stage === 'header') fail('ERR_AUDIT_EMPTY_FILE', 'the file has no header', 1);
    if (stage === 'export') fail('ERR_AUDIT_TRUNCATED', 'the file ends after the header', reader.rows + 1);
    if (stage === 'entries') fail('ERR_AUDIT_TRUNCATED', `the file ends at seq ${lastSeq} without its checkpoint record: it was cut short`, reader.rows + 1, lastSeq + 1);

    // The checkpoint record.
    const cpRow = reader.rows;
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
    if (isAuditChainError(e)) return finish({ code: e.code, message: e.message, row: 0 });
    return finish({ code: 'ERR_AUDIT_CSV_MALFORMED', message: `the export could not be read: ${(e as Error).message}`, row: 0 });
  }
}

function parseData(cell: string, row: number, fail: (code: AuditErrorCode, message: string, row: number) => never): Record<string, unknown> {
  try {
    const v = JSON.parse(cell) as unknown;
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    /* reported below */
  }
  return fail('ERR_AUDIT_CSV_MALFORMED', 'the data cell is not a JSON object', row);
}

function isSeq(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.length * 32);
  parts.forEach((p, i) => out.set(p, i * 32));
  return out;
}

/** Exit code for a report: 0 verified, 1 integrity failure, 2 usage or format error. */
export function exitCodeFor(report: VerifyReport): 0 | 1 | 2 {
  if (report.ok) return 0;
  return report.integrityFailure ? 1 : 2;
}

