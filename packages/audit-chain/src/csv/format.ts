/**
 * `stela.audit/csv/v1`: the frozen column set and the reversible cell-escape rule (SPEC.md §8, §8.4).
 * Columns never change within major version 1.
 */

/** Format identifier, stated in the `export` row. */
export const CSV_FORMAT = 'stela.audit/csv/v1';
/** Cell-escape rule identifier, stated in the `export` row. */
export const CELL_ESCAPE = 'stela.audit/cell-escape/v1';

/** The v1 header, in order. */
export const CSV_COLUMNS = [
  'record',
  'seq',
  'tenant',
  'occurred_at',
  'recorded_at',
  'action',
  'outcome',
  'actor_type',
  'actor_id',
  'actor_display',
  'actor_email',
  'target_type',
  'target_id',
  'target_display',
  'ip',
  'user_agent',
  'request_id',
  'metadata',
  'commitments',
  'salts',
  'prev_hash',
  'hash',
  'data',
] as const;

/** Column name → index. */
export const COL = Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, i])) as { readonly [K in (typeof CSV_COLUMNS)[number]]: number };

/** The header line as written (CRLF-terminated). */
export const CSV_HEADER_LINE = CSV_COLUMNS.join(',') + '\r\n';

/** Longest record accepted, in UTF-16 code units (≈ bytes for this format's ASCII-heavy rows). */
export const MAX_RECORD_LENGTH = 1_048_576;

/** UTF-8 byte order mark, written first when `bom: true` (for Excel) and stripped by the verifier. */
export const BOM = '\ufeff';

// A spreadsheet runs a cell as a formula when it starts with one of = + - @, and tab/CR can
// smuggle one past a trim. The apostrophe is included so that the rule is a bijection: a value
// that really starts with ' gets a second one, and unescaping strips exactly one.
const NEEDS_ESCAPE = /^['=+\-@\t\r]/;

/** Applies the reversible formula escape: prefixes `'` to a cell that starts with ' = + - @ TAB CR. */
export function escapeCell(value: string): string {
  return NEEDS_ESCAPE.test(value) ? "'" + value : value;
}

/** Undoes `escapeCell`. Returns `undefined` for a cell that could not have been produced by it. */
export function unescapeCell(cell: string): string | undefined {
  if (cell.charCodeAt(0) !== 39 /* ' */) return NEEDS_ESCAPE.test(cell) ? undefined : cell;
  const inner = cell.slice(1);
  return NEEDS_ESCAPE.test(inner) ? inner : undefined;
}

/** Quotes a cell per RFC 4180 §2.6–2.7 when it holds a comma, quote, CR or LF. */
export function quoteCell(cell: string): string {
  return /[",\r\n]/.test(cell) ? '"' + cell.replace(/"/g, '""') + '"' : cell;
}
