/** Writes `stela.audit/csv/v1` rows. The streaming driver is `AuditLog.exportCsv`. */
import { canonicalJson, type JsonValue } from '../canonical-json.js';
import type { AuditRecord, Disclosures } from '../record.js';
import { CSV_COLUMNS, escapeCell, quoteCell } from './format.js';

function line(cells: readonly string[]): string {
  let s = '';
  for (let i = 0; i < cells.length; i++) s += (i ? ',' : '') + quoteCell(escapeCell(cells[i]!));
  return s + '\r\n';
}

const WIDTH = CSV_COLUMNS.length;

/** A row whose only content is the `record` kind and a JSON `data` cell (export and checkpoint rows). */
export function dataRow(kind: 'export' | 'checkpoint', data: JsonValue): string {
  const cells = new Array<string>(WIDTH).fill('');
  cells[0] = kind;
  cells[WIDTH - 1] = canonicalJson(data);
  return line(cells);
}

/** One entry row: the record, with its disclosed erasable values in their columns. */
export function entryRow(record: AuditRecord, disclosures: Disclosures): string {
  const shown = (field: string): string => {
    const d = disclosures[field];
    return d === undefined ? '' : String(d.value);
  };
  const metadata: Record<string, JsonValue> = { ...record.metadata };
  const salts: Record<string, string> = {};
  for (const [field, d] of Object.entries(disclosures)) {
    salts[field] = d.salt;
    if (field.startsWith('metadata.')) metadata[field.slice(9)] = d.value;
  }
  return line([
    'entry',
    String(record.seq),
    record.tenant,
    record.occurred_at,
    record.recorded_at,
    record.action,
    record.outcome,
    record.actor_type,
    record.actor_id,
    shown('actor_display'),
    shown('actor_email'),
    record.target_type ?? '',
    record.target_id ?? '',
    shown('target_display'),
    shown('ip'),
    shown('user_agent'),
    record.request_id ?? '',
    canonicalJson(metadata),
    canonicalJson(record.commitments),
    canonicalJson(salts),
    record.prev_hash,
    record.hash,
    '',
  ]);
}
