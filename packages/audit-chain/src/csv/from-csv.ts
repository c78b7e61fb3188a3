/**
 * A streaming RFC 4180 record reader for the verifier. Hand-written rather than PapaParse: the
 * verifier must run at >= 250k rows/s, more than PapaParse's own parse-only rate on this format
 * (~245k rows/s measured, reference note §7), and it must reject what PapaParse would guess
 * around (bare quotes, stray CRs, ragged rows) with a row number.
 *
 * Accepts CRLF or LF line endings; a final line ending is optional.
 */

/** Why a record could not be read. */
export interface CsvProblem {
  readonly code: 'ERR_AUDIT_CSV_MALFORMED' | 'ERR_AUDIT_LINE_TOO_LONG';
  readonly message: string;
  /** 1-based record number (the header is record 1). */
  readonly row: number;
}

/** Longest record accepted, in UTF-16 code units (≈ bytes for this format's ASCII-heavy rows). */
export const MAX_RECORD_LENGTH = 1_048_576;

/** Records completed by one call, in file order; `problem` is the first bad record after them. */
export interface CsvChunk {
  readonly records: string[][];
  readonly problem?: CsvProblem;
}

/** Incremental reader: feed decoded text, get complete records. */
export interface CsvRecordReader {
  /** Appends text and returns every record it completes, then the problem that stopped it, if any. */
  push(text: string): CsvChunk;
  /** Ends the input: the final records, then the problem that stopped it, if any. */
  end(): CsvChunk;
  /** Records returned so far. */
  readonly rows: number;
}

const QUOTE = 34;
const COMMA = 44;
const CR = 13;
const LF = 10;

/** Creates a reader for records of exactly `width` cells (0: any width). */
export function createCsvRecordReader(width = 0): CsvRecordReader {
  let buf = '';
  let rows = 0;

  // Parses one record starting at `p`. Returns [cells, next] or null when the record is
  // incomplete (unless `final`), or a problem.
  function record(s: string, p: number, final: boolean): [string[], number] | null | CsvProblem {
    const cells: string[] = [];
    const n = s.length;
    for (;;) {
      let cell: string;
      if (s.charCodeAt(p) === QUOTE) {
        let q = p + 1;
        let acc = '';
        for (;;) {
          const j = s.indexOf('"', q);
          if (j < 0) return final ? malformed('a quoted cell is not closed before the end of the file') : null;
          if (j + 1 >= n && !final) return null;
          if (s.charCodeAt(j + 1) === QUOTE) {
            acc += s.slice(q, j + 1);
            q = j + 2;
            continue;
          }
          cell = acc + s.slice(q, j);
          p = j + 1;
          break;
        }
      } else {
        let j = p;
        for (; j < n; j++) {
          const c = s.charCodeAt(j);
          if (c === COMMA || c === LF || c === CR) break;
          if (c === QUOTE) return malformed('a quote appears inside an unquoted cell');
        }
        cell = s.slice(p, j);
        p = j;
      }
      cells.push(cell);
      if (p >= n) {
        if (!final) return null;
        return [cells, p];
      }
      const c = s.charCodeAt(p);
      if (c === COMMA) {
        p++;
        if (p >= n && !final) return null;
        continue;
      }
      if (c === LF) return [cells, p + 1];
      if (c === CR) {
        if (p + 1 >= n) return final ? [cells, p + 1] : null;
        if (s.charCodeAt(p + 1) === LF) return [cells, p + 2];
        return malformed('a carriage return is not followed by a line feed');
      }
      return malformed('a quoted cell is followed by text other than a comma or line end');
    }
  }

  const malformed = (message: string): CsvProblem => ({ code: 'ERR_AUDIT_CSV_MALFORMED', message, row: rows + 1 });

  function drain(final: boolean): CsvChunk {
    const out: string[][] = [];
    const stop = (problem: CsvProblem): CsvChunk => ({ records: out, problem });
    let p = 0;
    const n = buf.length;
    while (p < n) {
      const r = record(buf, p, final);
      if (r === null) break;
      if ('code' in r) return stop(r);
      const [cells, next] = r;
      if (next - p > MAX_RECORD_LENGTH) return stop({ code: 'ERR_AUDIT_LINE_TOO_LONG', message: 'record is longer than 1 MiB', row: rows + 1 });
      // The header may differ in width: the verifier reports that as a format version, not a ragged row.
      if (width && rows > 0 && cells.length !== width) {
        return stop({ code: 'ERR_AUDIT_CSV_MALFORMED', message: `record has ${cells.length} cells; expected ${width}`, row: rows + 1 });
      }
      rows++;
      out.push(cells);
      p = next;
    }
    buf = buf.slice(p);
    if (buf.length > MAX_RECORD_LENGTH) return stop({ code: 'ERR_AUDIT_LINE_TOO_LONG', message: 'record is longer than 1 MiB', row: rows + 1 });
    return { records: out };
  }

  return {
    push(text) {
      buf += text;
      return drain(false);
    },
    end() {
      return drain(true);
    },
    get rows() {
      return rows;
    },
  };
}
