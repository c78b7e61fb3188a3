import { describe, expect, it } from 'vitest';
import { displayedFrameworkStatus, lintFreshness, safeParseTrustConfig, subprocessorState, type TrustConfigInput } from '../src/config/index.js';
import { NOW } from './helpers.js';

const base: TrustConfigInput = {
  schema_version: 1,
  organisation: { name: 'Tidewell', website: 'https://tidewell.example', trust_url: 'https://tidewell.example/trust', contacts: { security: 'security@tidewell.example' } },
  disclosure: { policy: 'Report issues by email.' },
};

function codes(input: TrustConfigInput, now = NOW): string[] {
  const result = safeParseTrustConfig(input, { now });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.warnings.map((w) => `${w.code} ${w.path.join('.')}`);
}

describe('freshness lint', () => {
  it('is quiet for a fresh config', () => {
    expect(codes(base)).toEqual([]);
  });

  it('flags an expired certificate and renders it as expired', () => {
    const input: TrustConfigInput = {
      ...base,
      compliance: { frameworks: [{ framework: 'iso27001', status: 'certified', issued_at: '2023-05-01', expires_at: '2026-05-31' }] },
    };
    expect(codes(input)).toEqual(['WARN_TRUST_CERT_EXPIRED compliance.frameworks.0.expires_at']);
    const result = safeParseTrustConfig(input, { now: NOW });
    if (!result.ok) throw new Error('invalid');
    expect(displayedFrameworkStatus(result.config.compliance.frameworks[0]!, NOW)).toBe('expired');
    // The day it expires it is still valid.
    expect(displayedFrameworkStatus(result.config.compliance.frameworks[0]!, new Date('2026-05-31T23:00:00Z'))).toBe('certified');
  });

  it('flags a SOC 2 period older than the configured age', () => {
    const frameworks = [{ framework: 'soc2_type2' as const, status: 'certified' as const, period: { start: '2024-01-01', end: '2024-12-31' } }];
    expect(codes({ ...base, compliance: { frameworks } })).toEqual(['WARN_TRUST_SOC2_STALE compliance.frameworks.0.period.end']);
    expect(codes({ ...base, compliance: { soc2_max_age_days: 600, frameworks } })).toEqual([]);
  });

  it('flags stale reviewed_at on controls and answers, and overdue documents', () => {
    const input: TrustConfigInput = {
      ...base,
      controls: { review_interval_days: 90, sections: [{ id: 'infra', title: 'Infra', items: [{ title: 'Backups', status: 'in_place', reviewed_at: '2026-01-01' }] }] },
      questionnaire: { categories: [{ id: 'auth', title: 'Auth', questions: [{ question: 'MFA?', answer: 'Yes.', reviewed_at: '2025-01-01' }] }] },
      documents: [{ title: 'Security policy', access: 'on_request', review_by: '2026-05-01' }],
    };
    expect(codes(input)).toEqual([
      'WARN_TRUST_REVIEW_STALE controls.sections.0.items.0.reviewed_at',
      'WARN_TRUST_REVIEW_STALE questionnaire.categories.0.questions.0.reviewed_at',
      'WARN_TRUST_REVIEW_STALE documents.0.review_by',
    ]);
  });

  it('flags a security.txt Expires in the past or more than a year away', () => {
    const txt = (expires: string) => ({ ...base, disclosure: { policy: 'x', security_txt: { expires } } });
    expect(codes(txt('2026-06-01'))).toEqual(['WARN_TRUST_SECURITY_TXT_EXPIRED disclosure.security_txt.expires']);
    expect(codes(txt('2027-07-01'))).toEqual(['WARN_TRUST_SECURITY_TXT_EXPIRES_TOO_FAR disclosure.security_txt.expires']);
    expect(codes(txt('2027-05-01'))).toEqual([]);
  });

  it('flags a sub-processor effective before its notice window has passed', () => {
    const entry = { name: 'Nimbus', purpose: 'Hosting', locations: ['Ireland'] };
    const input = (announced_at: string | undefined, effective_from: string, notice_days?: number): TrustConfigInput => ({
      ...base,
      subprocessors: { ...(notice_days === undefined ? {} : { notice_days }), entries: [{ ...entry, ...(announced_at ? { announced_at } : {}), effective_from }] },
    });
    expect(codes(input('2026-06-01', '2026-06-20'))).toEqual(['WARN_TRUST_SUBPROCESSOR_NOTICE subprocessors.entries.0.effective_from']);
    expect(codes(input('2026-06-01', '2026-07-01'))).toEqual([]);
    expect(codes(input('2026-06-01', '2026-06-20', 14))).toEqual([]);
    expect(codes(input(undefined, '2026-07-01'))).toEqual(['WARN_TRUST_SUBPROCESSOR_NOTICE subprocessors.entries.0.announced_at']);
    // Long-standing entries without an announcement date predate the list; no warning.
    expect(codes(input(undefined, '2024-01-01'))).toEqual([]);
  });

  it('flags missed target dates in the known-gaps register', () => {
    const input: TrustConfigInput = {
      ...base,
      controls: { sections: [{ id: 'app', title: 'App', items: [{ title: 'MFA', status: 'in_progress', target_date: '2026-03-31' }] }] },
    };
    expect(codes(input)).toEqual(['WARN_TRUST_TARGET_MISSED controls.sections.0.items.0.target_date']);
  });

  it('derives sub-processor state from the clock', () => {
    const s = { name: 'N', purpose: 'p', locations: ['IE'], data_categories: [], certifications: [], effective_from: '2026-05-01' };
    expect(subprocessorState(s, NOW)).toBe('current');
    expect(subprocessorState({ ...s, effective_from: '2026-07-01' }, NOW)).toBe('upcoming');
    expect(subprocessorState({ ...s, ended_at: '2026-05-31' }, NOW)).toBe('ended');
  });

  it('exposes lintFreshness on its own', () => {
    const result = safeParseTrustConfig(base, { now: NOW });
    if (!result.ok) throw new Error('invalid');
    expect(lintFreshness(result.config, { now: NOW })).toEqual([]);
  });
});

describe('typos in dates', () => {
  it('warns about review and issue dates in the future', () => {
    const input: TrustConfigInput = {
      ...base,
      compliance: { frameworks: [{ framework: 'iso27001', status: 'certified', issued_at: '2062-01-01' }] },
    };
    expect(codes(input)).toEqual(['WARN_TRUST_DATE_IN_FUTURE compliance.frameworks.0.issued_at']);
  });
});
