import type { TrustConfig } from './schema.js';
import type { FrameworkKind } from './schemas/compliance.js';

const FRAMEWORK_NAMES: Record<Exclude<FrameworkKind, 'custom'>, string> = {
  soc2_type1: 'SOC 2 Type I',
  soc2_type2: 'SOC 2 Type II',
  iso27001: 'ISO/IEC 27001',
  iso27701: 'ISO/IEC 27701',
  gdpr: 'GDPR',
  uk_gdpr: 'UK GDPR',
  ccpa: 'CCPA / CPRA',
  hipaa: 'HIPAA',
  pci_dss: 'PCI DSS',
  dpdpa: 'India DPDPA 2023',
};

/** A URL- and anchor-safe slug of a title. */
export function slugify(text: string): string {
  return (
    text
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60)
      .replace(/-+$/, '') || 'item'
  );
}

/**
 * Fills in what the schema's defaults cannot: ids derived from titles, framework display names,
 * the security.txt contact and canonical fallbacks, and a newest-first order for dated lists.
 * Pure: returns a new config and leaves the input alone.
 */
export function normaliseConfig(input: TrustConfig): TrustConfig {
  const config = structuredClone(input);
  for (const section of config.controls.sections) {
    for (const item of section.items) item.id ??= slugify(item.title);
  }
  for (const f of config.compliance.frameworks) {
    f.id ??= f.framework.replace(/_/g, '-');
    if (f.framework !== 'custom') f.name ??= FRAMEWORK_NAMES[f.framework];
  }
  for (const category of config.questionnaire.categories) {
    category.questions.forEach((q, i) => {
      q.id ??= `${category.id}-${i + 1}`;
    });
  }
  config.updates.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
  const perDay = new Map<string, number>();
  for (const u of [...config.updates].reverse()) {
    const n = (perDay.get(u.date) ?? 0) + 1;
    perDay.set(u.date, n);
    u.id ??= `${u.date}-${n}`;
  }
  const txt = config.disclosure.security_txt;
  const securityContact = config.organisation.contacts.security;
  if (txt.contact.length === 0 && securityContact) txt.contact = [securityContact];
  txt.contact = txt.contact.map((c) => (/^(mailto:|https:|tel:)/.test(c) ? c : `mailto:${c}`));
  if (txt.canonical.length === 0) txt.canonical = [`${new URL(config.organisation.trust_url).origin}/.well-known/security.txt`];
  return config;
}
