/** The human-readable form of a verification report (`stela-audit verify` without `--json`). */
import type { VerifyReport } from '../verify.js';

/** What the reader of the report should know about how it was produced. */
export interface ReportContext {
  readonly file: string;
  readonly elapsedMs: number;
  /** The path given to `--keys`, if any. */
  readonly keysFile?: string | undefined;
  /** The path given to `--trusted-checkpoint`, if any. */
  readonly trustedFile?: string | undefined;
}

const n = (x: number) => x.toLocaleString('en-US');

/** Formats a byte count as B, KB, MB or GB (decimal units, as file managers show them). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let i = -1;
  do {
    v /= 1000;
    i++;
  } while (v >= 1000 && i < units.length - 1);
  return `${v.toFixed(v < 10 ? 2 : 1)} ${units[i]}`;
}

function line(label: string, value: string): string {
  return `  ${label.padEnd(20)}${value}\n`;
}

function seqRange(first: number | null, last: number | null): string {
  if (first === null || last === null) return 'unknown';
  if (last < first) return `none (empty range starting at seq ${first})`;
  return first === last ? `seq ${n(first)}` : `seq ${n(first)}–${n(last)}`;
}

/** Renders the report: summary, failure location, and what it does and does not prove. */
export function formatVerifyReport(report: VerifyReport, ctx: ReportContext): string {
  let out = report.ok ? `VERIFIED  ${ctx.file}\n` : `FAILED    ${ctx.file}\n`;
  if (!report.ok && report.failure) {
    const f = report.failure;
    const where = f.row > 0 ? `row ${n(f.row)}${f.seq !== undefined ? ` (seq ${n(f.seq)})` : ''}` : 'before the first row';
    out += line('first failure', where);
    out += line('reason', `${f.code}: ${f.message}`);
  }
  const rowsLabel = report.ok ? 'entries' : 'checked';
  out += line(rowsLabel, report.ok ? `${n(report.rows)}, ${seqRange(report.firstSeq, report.lastSeq)}` : `${n(report.rows)} entries passed before the failure`);
  if (report.origin) out += line('log', `${report.origin} (tenant ${report.tenant})`);
  const cp = report.checkpoint;
  if (cp) {
    out += line('checkpoint', `size ${n(cp.size)}, issued ${cp.issuedAt}`);
    out += line('signed by key', `${cp.kid} (${cp.keyTrusted ? `trusted: from --keys ${ctx.keysFile ?? ''}`.trimEnd() : 'NOT trusted: the key embedded in the export'})`);
  }
  const t = report.trustedCheckpoint;
  if (t) out += line('your checkpoint', `size ${n(t.size)}: ${t.consistent ? 'consistent with this export' : 'INCONSISTENT with this export'}`);
  else if (ctx.trustedFile && report.ok) out += line('your checkpoint', 'given, but not reached');
  if (report.ok) out += line('erased fields', report.erasedFields === 0 ? 'none' : `${n(report.erasedFields)} (personal data erased on request; the chain still verifies)`);
  const secs = ctx.elapsedMs / 1000;
  if (report.ok) out += line('file', `${formatBytes(report.bytes)}${report.bom ? ', with BOM' : ''}, verified in ${secs.toFixed(secs < 10 ? 2 : 1)} s${report.rows > 0 && secs > 0 ? ` (${n(Math.round(report.rows / secs))} rows/s)` : ''}`);
  else out += line('read', `${formatBytes(report.bytes)} before stopping`);
  if (report.warnings.length === 0) out += line('warnings', 'none');
  else report.warnings.forEach((w, i) => (out += wrap(`- ${w}`, 96, 22, i === 0 ? '  warnings            ' : undefined)));
  out += '\n' + meaning(report, ctx);
  return out;
}

function meaning(report: VerifyReport, ctx: ReportContext): string {
  const range = seqRange(report.firstSeq, report.lastSeq);
  if (report.ok) {
    const cp = report.checkpoint!;
    const proves = [
      'every row is unaltered',
      `no row in ${range} is missing, reordered or duplicated`,
      `the rows are a prefix of the log that the key holder signed at size ${n(cp.size)}`,
    ];
    if (report.trustedCheckpoint) proves.push(`the log is consistent with your own checkpoint of size ${n(report.trustedCheckpoint.size)}, so nothing you saw before was removed or rewritten`);
    const notProves = [
      'that the vendor logged every event, truthfully, when it happened',
      `anything about entries outside ${range}`,
      cp.keyTrusted
        ? `who signed, unless ${ctx.keysFile ?? 'the --keys file'} came from a source you trust (e.g. the vendor's trust center)`
        : "who signed: no --keys were given, so the export vouched for itself. Pass the vendor's audit-keys.json from a source you trust (e.g. their trust center)",
      'that the vendor has shown everyone the same history (compare checkpoints with others to catch a split view)',
    ];
    return wrap(`What this proves: ${list(proves)}.`) + wrap(`What this does not prove: ${list(notProves)}.`);
  }
  const f = report.failure;
  const at = f && f.row > 0 ? `row ${n(f.row)}${f.seq !== undefined ? ` (seq ${n(f.seq)})` : ''}` : 'the start';
  let proves: string;
  let notProves = 'who changed it or when (in transit, on your disk, or at the vendor), or whether later rows changed too: verification stops at the first failure.';
  switch (report.code) {
    case 'ERR_AUDIT_UNKNOWN_KEY':
    case 'ERR_AUDIT_KEY_NOT_VALID':
      proves = `this export's checkpoint was not signed by a key that ${ctx.keysFile ?? 'your key set'} allows, so nothing vouches for its contents. Do not rely on it.`;
      notProves = 'that the rows were altered: they may be intact but signed by a key you were not given (for example after a key rotation), or by someone else entirely.';
      break;
    case 'ERR_AUDIT_SIGNATURE_INVALID':
      proves = 'the checkpoint signature is invalid: the checkpoint was altered or forged. Do not rely on this export.';
      break;
    case 'ERR_AUDIT_CHECKPOINT_INCONSISTENT':
      proves = `the log behind this export is not an extension of the checkpoint you hold: entries you saw before were removed or rewritten. Keep both files.`;
      notProves = 'who truncated or rewrote the log, or when; only that the history you were shown earlier and this one cannot both be true.';
      break;
    case 'ERR_AUDIT_TRUNCATED':
      proves = `this file is cut short at ${at}: it is not the complete export the vendor signed. Do not rely on it.`;
      notProves = 'whether it was cut in transit, on your disk, or by the vendor.';
      break;
    default:
      proves = `this file is not what the key holder signed; the first difference is at ${at}. Do not rely on its contents.`;
  }
  return wrap(`What this proves: ${proves}`) + wrap(`What this does not prove: ${notProves}`);
}

function list(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : items.slice(0, -1).join('; ') + '; and ' + items[items.length - 1];
}

function wrap(text: string, width = 96, indent = 0, firstPrefix?: string): string {
  const pad = ' '.repeat(indent);
  const words = text.split(' ');
  let out = '';
  let cur = '';
  let prefix = firstPrefix ?? pad;
  for (const w of words) {
    if (cur && prefix.length + cur.length + 1 + w.length > width) {
      out += prefix + cur + '\n';
      prefix = pad;
      cur = w;
    } else cur = cur ? cur + ' ' + w : w;
  }
  return out + prefix + cur + '\n';
}
