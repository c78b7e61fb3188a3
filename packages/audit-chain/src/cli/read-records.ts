/**
 * Streams the CSV records of an export file without cryptographic checks (for `inspect` and
 * `checkpoint`), in constant memory, with the same strict reader and limits as the verifier.
 */
import { createCsvRecordReader, type CsvChunk } from '../csv/from-csv.js';
import { BOM, CSV_COLUMNS } from '../csv/format.js';
import { cliError } from './io.js';
import { fileSize, fsError, openForReading } from './files.js';

/** A batch of records and the 1-based record number of the first one. */
export interface RecordBatch {
  readonly firstRow: number;
  readonly records: readonly string[][];
  /** Bytes read so far. */
  readonly bytes: number;
}

/** Reads `path` and yields its records in batches; the header is record 1. */
export async function* readRecords(path: string, chunkSize = 64 * 1024): AsyncGenerator<RecordBatch> {
  const size = await fileSize(path);
  if (size === 0) throw cliError('ERR_AUDIT_EMPTY_FILE', `${path} is empty`);
  const handle = await openForReading(path);
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const reader = createCsvRecordReader(CSV_COLUMNS.length);
  let bytes = 0;
  let first = true;
  const batch = (got: CsvChunk): RecordBatch => ({ firstRow: reader.rows - got.records.length + 1, records: got.records, bytes });
  const check = (got: CsvChunk) => {
    if (got.problem) throw cliError(got.problem.code, `${path}: row ${got.problem.row}: ${got.problem.message}`);
  };
  try {
    const stream = handle.createReadStream({ highWaterMark: chunkSize, autoClose: false });
    try {
      for await (const chunk of stream as AsyncIterable<Uint8Array>) {
        bytes += chunk.length;
        let text: string;
        try {
          text = decoder.decode(chunk, { stream: true });
        } catch {
          throw cliError('ERR_AUDIT_ENCODING', `${path}: row ${reader.rows + 1}: the file is not valid UTF-8`);
        }
        if (first && text.length > 0) {
          first = false;
          if (text.startsWith(BOM)) text = text.slice(1);
        }
        const got = reader.push(text);
        yield batch(got);
        check(got);
      }
    } catch (e) {
      if ((e as { code?: string }).code?.startsWith('E') && !(e as { code: string }).code.startsWith('ERR_')) throw fsError('read', path, e);
      throw e;
    }
    let tail: string;
    try {
      tail = decoder.decode();
    } catch {
      throw cliError('ERR_AUDIT_ENCODING', `${path}: the file is not valid UTF-8 (it ends inside a multi-byte character)`);
    }
    for (const got of [reader.push(tail), reader.end()]) {
      yield batch(got);
      check(got);
    }
  } finally {
    await handle.close();
  }
}
