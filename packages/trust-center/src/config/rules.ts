import { dayNumber } from './dates.js';
import type { ConfigProblem } from './problem.js';
import type { TrustConfig } from './schema.js';

/** A cross-field rule: reads the normalised config, returns errors as data. */
export type ConfigRule = (config: TrustConfig) => ConfigProblem[];

function error(path: ConfigProblem['path'], message: string, hint?: string): ConfigProblem {
  return { severity: 'error', code: 'ERR_TRUST_CONFIG_RULE', path, message, ...(hint ? { hint } : {}) };
}

/** A sub-processor cannot be announced after it starts, nor end before it starts. */
export const subprocessorDatesInOrder: ConfigRule = (config) =>
  config.subprocessors.entries.flatMap((s, i) => {
    const out: ConfigProblem[] = [];
    const base = ['subprocessors', 'entries', i] as const;
    if (s.announced_at && dayNumber(s.announced_at) > dayNumber(s.effective_from)) {
      out.push(error([...base, 'announced_at'], `announced_at (${s.announced_at}) is after effective_from (${s.effective_from}).`, 'Customers must hear about a sub-processor before it starts.'));
    }
    if (s.ended_at && dayNumber(s.ended_at) < dayNumber(s.effective_from)) {
      out.push(error([...base, 'ended_at'], `ended_at (${s.ended_at}) is before effective_from (${s.effective_from}).`));
    }
    return out;
  });

/** Audit periods run forwards, and a certificate expires after it is issued. */
export const frameworkDatesInOrder: ConfigRule = (config) =>
  config.compliance.frameworks.flatMap((f, i) => {
    const out: ConfigProblem[] = [];
    const base = ['compliance', 'frameworks', i] as const;
    if (f.period && dayNumber(f.period.end) <= dayNumber(f.period.start)) {
      out.push(error([...base, 'period', 'end'], `The audit period ends (${f.period.end}) before it starts (${f.period.start}).`));
    }
    if (f.issued_at && f.expires_at && dayNumber(f.expires_at) <= dayNumber(f.issued_at)) {
      out.push(error([...base, 'expires_at'], `expires_at (${f.expires_at}) is not after issued_at (${f.issued_at}).`));
    }
    return out;
  });

/** `certified` is a claim about an audit, so it needs the audit's dates. */
export const certifiedFrameworkHasDates: ConfigRule = (config) =>
  config.compliance.frameworks.flatMap((f, i) => {
    if (f.status !== 'certified') return [];
    const base = ['compliance', 'frameworks', i] as const;
    if (f.framework === 'soc2_type2' && !f.period) {
      return [error([...base, 'period'], 'A certified SOC 2 Type II needs its audit period.', 'Add period: { start: YYYY-MM-DD, end: YYYY-MM-DD }.')];
    }
    if (!f.issued_at && !f.period) {
      return [error([...base, 'issued_at'], `A certified ${f.name ?? f.framework} needs issued_at (or an audit period).`, 'Buyers read the date first; without it the badge proves nothing.')];
    }
    return [];
  });

/** A `custom` framework has no built-in display name. */
export const customFrameworkHasName: ConfigRule = (config) =>
  config.compliance.frameworks.flatMap((f, i) =>
    f.framework === 'custom' && !f.name ? [error(['compliance', 'frameworks', i, 'name'], 'A custom framework needs a name.', 'Add name: "…" with the framework\'s display name.')] : [],
  );

/** security.txt requires at least one Contact (RFC 9116 §2.5.3). */
export const securityTxtHasContact: ConfigRule = (config) =>
  config.disclosure.security_txt.contact.length === 0
    ? [error(['disclosure', 'security_txt', 'contact'], 'security.txt needs at least one contact (RFC 9116 §2.5.3).', 'Set organisation.contacts.security or disclosure.security_txt.contact.')]
    : [];

/** Ids end up in URLs and feed entries, so they must be unique. */
export const idsAreUnique: ConfigRule = (config) => {
  const out: ConfigProblem[] = [];
  const check = (items: Array<{ id?: string | undefined; path: ConfigProblem['path'] }>, what: string) => {
    const seen = new Set<string>();
    for (const { id, path } of items) {
      if (id === undefined) continue;
      if (seen.has(id)) out.push(error(path, `Duplicate ${what} id "${id}".`, 'Give each one its own id.'));
      seen.add(id);
    }
  };
  check(config.controls.sections.map((s, i) => ({ id: s.id, path: ['controls', 'sections', i, 'id'] })), 'section');
  check(config.controls.sections.flatMap((s, i) => s.items.map((c, j) => ({ id: c.id, path: ['controls', 'sections', i, 'items', j, 'id'] }))), 'control');
  check(config.compliance.frameworks.map((f, i) => ({ id: f.id, path: ['compliance', 'frameworks', i, 'id'] })), 'framework');
  check(config.questionnaire.categories.map((c, i) => ({ id: c.id, path: ['questionnaire', 'categories', i, 'id'] })), 'questionnaire category');
  check(config.questionnaire.categories.flatMap((c, i) => c.questions.map((q, j) => ({ id: q.id, path: ['questionnaire', 'categories', i, 'questions', j, 'id'] }))), 'question');
  check(config.updates.map((u, i) => ({ id: u.id, path: ['updates', i, 'id'] })), 'update');
  check(config.custom_sections.map((c, i) => ({ id: c.id, path: ['custom_sections', i, 'id'] })), 'custom section');
  return out;
};

/** A typed table has one cell per column in every row. */
export const tableRowsMatchColumns: ConfigRule = (config) =>
  config.custom_sections.flatMap((s, i) =>
    s.tables.flatMap((t, j) =>
      t.rows.flatMap((row, k) =>
        row.length === t.columns.length ? [] : [error(['custom_sections', i, 'tables', j, 'rows', k], `This row has ${row.length} cell(s) but the table has ${t.columns.length} column(s).`)],
      ),
    ),
  );

/** An audit key's validity window runs forwards. */
export const auditKeyWindowInOrder: ConfigRule = (config) =>
  (config.audit_logging?.keys ?? []).flatMap((k, i) =>
    k.valid_from && k.valid_until && dayNumber(k.valid_until) < dayNumber(k.valid_from)
      ? [error(['audit_logging', 'keys', i, 'valid_until'], `valid_until (${k.valid_until}) is before valid_from (${k.valid_from}).`)]
      : [],
  );

/** The site loads nothing from other origins, so the logo must be served from the site itself. */
export const logoIsSameOrigin: ConfigRule = (config) => {
  const logo = config.organisation.logo;
  if (!logo || logo.startsWith('/')) return [];
  return new URL(logo).origin === new URL(config.organisation.trust_url).origin
    ? []
    : [error(['organisation', 'logo'], 'The logo is on another origin; loading it would be a third-party request from the trust center.', 'Put the file in public/ next to the config and write logo: /logo.svg.')];
};

/** Every rule, in the order problems are reported. */
export const CONFIG_RULES: ReadonlyArray<ConfigRule> = [
  subprocessorDatesInOrder,
  frameworkDatesInOrder,
  certifiedFrameworkHasDates,
  customFrameworkHasName,
  securityTxtHasContact,
  idsAreUnique,
  tableRowsMatchColumns,
  auditKeyWindowInOrder,
  logoIsSameOrigin,
];
