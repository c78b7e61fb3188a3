/** `stela-audit checkpoint`: saves an export's signed checkpoint as your trusted checkpoint. */
import { writeFile } from 'node:fs/promises';
import { createCsvRecordReader } from '../csv/from-csv.js';
import { COL, CSV_COLUMNS } from '../csv/format.js';
import { exitCodeFor } from '../verify.js';
import { verifyFile } from '../verify-node.js';
import { onePositional, parseCommandArgs } from './args.js';
import { fileSize, fsError, openForReading } from './files.js';
import { cliError, EXIT, HINTS, type CliIo } from './io.js';
import { loadPublicKeys } from './keys-file.js';
import { readRecords } from './read-records.js';

export const CHECKPOINT_HELP = `Usage: stela-audit checkpoint <file> [--keys <jwks-file>] [--out <file>] [--json]

Prints the signed checkpoint (a compact JWS) that an export carries, so you can keep it and
later pass it to stela-audit verify --trusted-checkpoint: any later export that drops or
rewrites entries you have seen then fails.

Save a checkpoint only from an export that verified. With --keys, this command verifies the
export first and refuses to print a checkpoint from one that fails.

Options:
  --keys <file>  the vendor's audit-keys.json: verify the export before extracting
  --out <file>   write the checkpoint to <file> instead of stdout
  --json         print { jws, origin, size, issuedAt, kid, verified } as JSON
  -h, --help     show this help

Example:
  stela-audit checkpoint export-2026-05.csv --keys audit-keys.json --out trusted.jws
  stela-audit verify export-2026-06.csv --keys audit-keys.json --trusted-checkpoint trusted.jws
`;

/** Runs `checkpoint`; returns the exit code. */
export async function checkpointCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('checkpoint', argv, {
    keys: { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) {
    io.stdout.write(CHECKPOINT_HELP);
    return EXIT.ok;
  }
  const file = onePositional('checkpoint', positionals, 'export file');
  const keysFile = values.keys as string | undefined;
  let verified = false;
  if (keysFile !== undefined) {
    const report = await verifyFile(file, { keys: await loadPublicKeys(keysFile) });
    if (!report.ok) {
      const f = report.failure;
      const where = f && f.row > 0 ? `row ${f.row}${f.seq !== undefined ? ` (seq ${f.seq})` : ''}: ` : '';
      io.stderr.write(`stela-audit: ${report.code}: ${file}: ${where}${report.message}\n`);
      io.stderr.write(`  hint: the export did not verify, so its checkpoint is not worth keeping. ${report.code ? (HINTS[report.code] ?? '') : ''}\n`);
      return exitCodeFor(report);
    }
    verified = true;
  }

  const cells = (await lastRecordFromTail(file)) ?? (await lastRecordByScan(file));
  let data: Record<string, unknown> | null = null;
  if (cells && cells[0] === 'checkpoint') {
    try {
      data = JSON.parse(cells[COL.data]!) as Record<string, unknown>;
    } catch {
      throw cliError('ERR_AUDIT_CSV_MALFORMED', `${file}: the checkpoint record's data cell is not JSON`);
    }
  }
  if (!data) throw cliError('ERR_AUDIT_TRUNCATED', `${file} has no checkpoint record: it is cut short or not an export`, HINTS.ERR_AUDIT_TRUNCATED);
  const jws = data.jws;
  if (typeof jws !== 'string' || jws.split('.').length !== 3) throw cliError('ERR_AUDIT_SIGNATURE_INVALID', `${file}: the checkpoint record holds no compact JWS`);
  const payload = decodePayload(jws);
  const header = decodePayload(jws, 0);
  const info = {
    jws,
    origin: typeof payload?.origin === 'string' ? payload.origin : null,
    size: typeof payload?.size === 'number' ? payload.size : null,
    issuedAt: typeof payload?.issued_at === 'string' ? payload.issued_at : null,
    kid: typeof header?.kid === 'string' ? header.kid : null,
    verified,
  };
  const text = values.json ? JSON.stringify(info, null, 2) + '\n' : jws + '\n';
  const out = values.out as string | undefined;
  if (out !== undefined) {
    try {
      await writeFile(out, text);
    } catch (e) {
      throw fsError('write', out, e);
    }
    io.stderr.write(`wrote the checkpoint of ${info.origin ?? 'the log'} at size ${info.size ?? '?'} (issued ${info.issuedAt ?? '?'}) to ${out}\n`);
  } else io.stdout.write(text);
  if (!verified) io.stderr.write('note: not verified. Keep it as a trusted checkpoint only if `stela-audit verify` succeeded with the vendor\'s keys (or pass --keys here).\n');
  return EXIT.ok;
}

/** Bytes read from the end of the file to find the checkpoint record (it is a few KiB). */
const TAIL_BYTES = 256 * 1024;

/**
 * The last record, parsed from the file's tail alone, so a checkpoint comes out of a
 * multi-gigabyte export at once. Returns null whenever the tail is not exactly one well-formed
 * checkpoint record; the full scan then finds the record or reports the problem.
 */
async function lastRecordFromTail(file: string): Promise<string[] | null> {
  const size = await fileSize(file);
  const handle = await openForReading(file);
  let text: string;
  try {
    const length = Math.min(size, TAIL_BYTES);
    const buf = new Uint8Array(length);
    await handle.read(buf, 0, length, size - length);
    text = new TextDecoder('utf-8', { fatal: false }).decode(buf);
  } catch {
    return null;
  } finally {
    await handle.close();
  }
  const at = text.lastIndexOf('\ncheckpoint,');
  if (at < 0) return null;
  const reader = createCsvRecordReader(CSV_COLUMNS.length);
  const got = [reader.push(text.slice(at + 1)), reader.end()];
  const records = got.flatMap((g) => g.records);
  if (got.some((g) => g.problem) || records.length !== 1 || text.slice(at + 1).includes('\ufffd')) return null;
  return records[0]!;
}

/** The last record, by reading the whole file (reports malformed input with its row). */
async function lastRecordByScan(file: string): Promise<string[] | null> {
  let last: string[] | null = null;
  for await (const batch of readRecords(file)) if (batch.records.length) last = batch.records[batch.records.length - 1]!;
  return last;
}

function decodePayload(jws: string, part = 1): Record<string, unknown> | null {
  const seg = jws.split('.')[part] ?? '';
  try {
    const bin = atob(seg.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (seg.length % 4)) % 4));
    const v = JSON.parse(new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)))) as unknown;
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
