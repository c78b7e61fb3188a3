/** `stela-audit inspect`: what an export contains, without cryptographic checks. */
import { COL, CSV_COLUMNS, CSV_FORMAT } from '../csv/format.js';
import { onePositional, parseCommandArgs } from './args.js';
import { cliError, EXIT, type CliIo } from './io.js';
import { readRecords } from './read-records.js';
import { formatBytes } from './report-text.js';
import { fileSize } from './files.js';

export const INSPECT_HELP = `Usage: stela-audit inspect <file> [--json]

Summarises an export without checking any hash or signature: format, log, entry count and seq
range, time range, action and outcome counts, erased fields, and the checkpoint it carries.
Use stela-audit verify to check it.

Options:
  --json      print the summary as JSON on stdout
  -h, --help  show this help
`;

/** At most this many distinct actions are counted one by one; the rest are summed as other. */
const MAX_DISTINCT = 10_000;

/** The summary `inspect` prints. */
export interface InspectSummary {
  readonly file: string;
  readonly fileBytes: number;
  readonly verified: false;
  readonly format: string | null;
  readonly origin: string | null;
  readonly tenant: string | null;
  readonly declared: { readonly firstSeq: number | null; readonly lastSeq: number | null; readonly generatedAt: string | null; readonly bom: boolean | null };
  readonly entries: number;
  readonly firstSeq: number | null;
  readonly lastSeq: number | null;
  readonly seqContiguous: boolean;
  readonly occurredAt: { readonly min: string | null; readonly max: string | null };
  readonly recordedAt: { readonly min: string | null; readonly max: string | null };
  readonly outcomes: Record<string, number>;
  readonly actorTypes: Record<string, number>;
  readonly topActions: readonly { readonly action: string; readonly count: number }[];
  readonly distinctActions: number;
  readonly committedFields: number;
  readonly erasedFields: number;
  readonly checkpoint: { readonly size: number | null; readonly issuedAt: string | null; readonly kid: string | null; readonly signedNote: boolean; readonly embeddedKey: boolean } | null;
}

/** Runs `inspect`; returns the exit code. */
export async function inspectCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('inspect', argv, { json: { type: 'boolean' } });
  if (values.help) {
    io.stdout.write(INSPECT_HELP);
    return EXIT.ok;
  }
  const file = onePositional('inspect', positionals, 'export file');
  const summary = await inspectFile(file);
  io.stdout.write(values.json ? JSON.stringify(summary, null, 2) + '\n' : formatSummary(summary));
  return EXIT.ok;
}

/** Reads an export and summarises it. */
export async function inspectFile(file: string): Promise<InspectSummary> {
  const fileBytes = await fileSize(file);
  let stage: 'header' | 'export' | 'entries' | 'done' = 'header';
  let exportData: Record<string, unknown> = {};
  let cp: InspectSummary['checkpoint'] = null;
  let entries = 0;
  let firstSeq: number | null = null;
  let lastSeq: number | null = null;
  let contiguous = true;
  let occMin: string | null = null;
  let occMax: string | null = null;
  let recMin: string | null = null;
  let recMax: string | null = null;
  let committed = 0;
  let erased = 0;
  const actions = new Map<string, number>();
  const outcomes = new Map<string, number>();
  const actorTypes = new Map<string, number>();
  const bump = (m: Map<string, number>, k: string) => {
    const c = m.get(k);
    if (c !== undefined) m.set(k, c + 1);
    else if (m.size < MAX_DISTINCT) m.set(k, 1);
    else m.set('(other)', (m.get('(other)') ?? 0) + 1);
  };
  const keyCount = (json: string) => (json === '{}' ? 0 : json.split('":"').length - 1);

  for await (const batch of readRecords(file)) {
    batch.records.forEach((cells, i) => {
      const row = batch.firstRow + i;
      if (stage === 'header') {
        if (cells.join(',') !== CSV_COLUMNS.join(',')) {
          throw cells[0] === 'record'
            ? cliError('ERR_AUDIT_FORMAT_UNSUPPORTED', `${file}: the header does not match ${CSV_FORMAT}; it may use a newer format version`)
            : cliError('ERR_AUDIT_CSV_MALFORMED', `${file}: not a Stela audit export (the header must start with "record,seq,tenant")`);
        }
        stage = 'export';
        return;
      }
      const kind = cells[0];
      if (stage === 'export') {
        if (kind !== 'export') throw cliError('ERR_AUDIT_CSV_MALFORMED', `${file}: row ${row}: the second record must be the export descriptor`);
        exportData = parseObject(cells[COL.data]!) ?? {};
        if (exportData['@type'] !== CSV_FORMAT) throw cliError('ERR_AUDIT_FORMAT_UNSUPPORTED', `${file}: row ${row}: unknown export format ${JSON.stringify(exportData['@type'] ?? null)}; this tool reads ${CSV_FORMAT}`);
        stage = 'entries';
        return;
      }
      if (stage === 'entries' && kind === 'entry') {
        entries++;
        const seq = Number(cells[COL.seq]);
        if (firstSeq === null) firstSeq = seq;
        else if (seq !== (lastSeq ?? 0) + 1) contiguous = false;
        lastSeq = seq;
        const occ = cells[COL.occurred_at]!;
        const rec = cells[COL.recorded_at]!;
        if (occMin === null || occ < occMin) occMin = occ;
        if (occMax === null || occ > occMax) occMax = occ;
        if (recMin === null || rec < recMin) recMin = rec;
        if (recMax === null || rec > recMax) recMax = rec;
        bump(actions, cells[COL.action]!);
        bump(outcomes, cells[COL.outcome]!);
        bump(actorTypes, cells[COL.actor_type]!);
        const c = keyCount(cells[COL.commitments]!);
        committed += c;
        erased += Math.max(0, c - keyCount(cells[COL.salts]!));
        return;
      }
      if (stage === 'entries' && kind === 'checkpoint') {
        const d = parseObject(cells[COL.data]!) ?? {};
        const jws = typeof d.jws === 'string' ? d.jws : '';
        const [h, p] = jws.split('.');
        const header = decodeSegment(h);
        const payload = decodeSegment(p);
        cp = {
          size: typeof payload?.size === 'number' ? payload.size : null,
          issuedAt: typeof payload?.issued_at === 'string' ? payload.issued_at : null,
          kid: typeof header?.kid === 'string' ? header.kid : null,
          signedNote: typeof d.note === 'string',
          embeddedKey: typeof d.public_key === 'object' && d.public_key !== null,
        };
        stage = 'done';
        return;
      }
      throw cliError('ERR_AUDIT_CSV_MALFORMED', `${file}: row ${row}: unexpected record ${JSON.stringify(kind)}${stage === 'done' ? ' after the checkpoint' : ''}`);
    });
  }
  if (stage === 'header') throw cliError('ERR_AUDIT_EMPTY_FILE', `${file} has no header`);

  const num = (v: unknown) => (typeof v === 'number' ? v : null);
  const top = [...actions.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return {
    file,
    fileBytes,
    verified: false,
    format: typeof exportData['@type'] === 'string' ? exportData['@type'] : null,
    origin: typeof exportData.origin === 'string' ? exportData.origin : null,
    tenant: typeof exportData.tenant === 'string' ? exportData.tenant : null,
    declared: {
      firstSeq: num(exportData.first_seq),
      lastSeq: num(exportData.last_seq),
      generatedAt: typeof exportData.generated_at === 'string' ? exportData.generated_at : null,
      bom: typeof exportData.bom === 'boolean' ? exportData.bom : null,
    },
    entries,
    firstSeq,
    lastSeq,
    seqContiguous: contiguous,
    occurredAt: { min: occMin, max: occMax },
    recordedAt: { min: recMin, max: recMax },
    outcomes: Object.fromEntries(outcomes),
    actorTypes: Object.fromEntries(actorTypes),
    topActions: top.slice(0, 10).map(([action, count]) => ({ action, count })),
    distinctActions: actions.size,
    committedFields: committed,
    erasedFields: erased,
    checkpoint: cp,
  };
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function decodeSegment(seg: string | undefined): Record<string, unknown> | null {
  if (!seg || !/^[A-Za-z0-9_-]+$/.test(seg)) return null;
  try {
    const bin = atob(seg.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (seg.length % 4)) % 4));
    return parseObject(new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0))));
  } catch {
    return null;
  }
}

const n = (x: number) => x.toLocaleString('en-US');
const line = (label: string, value: string) => `  ${label.padEnd(18)}${value}\n`;
const counts = (m: Record<string, number>) =>
  Object.entries(m)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${n(v)}`)
    .join(' · ') || 'none';

/** The human-readable summary. */
export function formatSummary(s: InspectSummary): string {
  let out = `INSPECT   ${s.file}   (a summary only: nothing was verified; run stela-audit verify)\n`;
  out += line('format', s.format ?? 'unknown');
  out += line('log', s.origin ? `${s.origin} (tenant ${s.tenant})` : 'unknown');
  const range = s.firstSeq === null ? 'no entries' : `seq ${n(s.firstSeq)}–${n(s.lastSeq!)}${s.seqContiguous ? '' : ' (NOT contiguous)'}`;
  out += line('entries', `${n(s.entries)}, ${range}${s.declared.firstSeq !== null && (s.declared.firstSeq !== s.firstSeq || s.declared.lastSeq !== s.lastSeq) ? ` (declared ${n(s.declared.firstSeq)}–${n(s.declared.lastSeq ?? 0)})` : ''}`);
  if (s.occurredAt.min) out += line('occurred', `${s.occurredAt.min} … ${s.occurredAt.max}`);
  if (s.recordedAt.min) out += line('recorded', `${s.recordedAt.min} … ${s.recordedAt.max}`);
  if (s.declared.generatedAt) out += line('exported', s.declared.generatedAt);
  out += line('outcomes', counts(s.outcomes));
  out += line('actor types', counts(s.actorTypes));
  s.topActions.forEach((a, i) => (out += line(i === 0 ? `top actions` : '', `${a.action.padEnd(24)} ${n(a.count).padStart(10)}`)));
  if (s.distinctActions > s.topActions.length) out += line('', `(${n(s.distinctActions - s.topActions.length)} more distinct actions)`);
  out += line('erased fields', `${n(s.erasedFields)} of ${n(s.committedFields)} personal-data fields`);
  const cp = s.checkpoint;
  out += line('checkpoint', cp ? `size ${cp.size === null ? '?' : n(cp.size)}, issued ${cp.issuedAt ?? '?'}, key ${cp.kid ?? '?'} (signature not checked)` : 'none: the file is cut short');
  out += line('file', `${formatBytes(s.fileBytes)}${s.declared.bom ? ', with BOM' : ''}`);
  return out;
}
