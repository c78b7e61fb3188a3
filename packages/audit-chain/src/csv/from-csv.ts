/**
 * Reads `stela.audit/csv/v1` records from streamed text, for tools that need records without
 * verifying them (`stela-audit inspect`, `checkpoint`). It applies the verifier's own rules: a v1
 * record is one line (SPEC.md §8.1), split by `splitLine`, at most 1 MiB, with exactly the v1
 * width after the header. One format, one reader.
 */
import { splitLine } from '../verify-rows.js';
import { MAX_RECORD_LENGTH } from './format.js';

export { MAX_RECORD_LENGTH };

/** Why a record could not be read. */
export interface CsvProblem {
  readonly code: 'ERR_AUDIT_CSV_MALFORMED' | 'ERR_AUDIT_LINE_TOO_LONG';
  readonly message: string;
  /** 1-based record number (the header is record 1). */
  readonly row: number;
}


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

/** Creates a reader for records of exactly `width` cells after the header (0: any width). */
export function createCsvRecordReader(width = 0): CsvRecordReader {
  let buf = '';
  let rows = 0;

  function drain(final: boolean): CsvChunk {
    const records: string[][] = [];
    const stop = (code: CsvProblem['code'], message: string): CsvChunk => ({ records, problem: { code, message, row: rows + 1 } });
    let p = 0;
    for (;;) {
      let eol = buf.indexOf('\n', p);
      if (eol < 0) {
        if (buf.length - p > MAX_RECORD_LENGTH) return stop('ERR_AUDIT_LINE_TOO_LONG', 'record is longer than 1 MiB');
        if (!final || p >= buf.length) break;
        eol = buf.length;
      }
      if (eol - p > MAX_RECORD_LENGTH) return stop('ERR_AUDIT_LINE_TOO_LONG', 'record is longer than 1 MiB');
      const line = buf.slice(p, buf.charCodeAt(eol - 1) === 13 && eol > p ? eol - 1 : eol);
      const cells = splitLine(line);
      if (typeof cells === 'string') return stop('ERR_AUDIT_CSV_MALFORMED', cells);
      // The header may differ in width: callers report that as a format version, not a ragged row.
      if (width && rows > 0 && cells.length !== width) return stop('ERR_AUDIT_CSV_MALFORMED', `record has ${cells.length} cells; expected ${width}`);
      records.push(cells);
      rows++;
      p = eol + 1;
    }
    buf = buf.slice(p);
    return { records };
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
