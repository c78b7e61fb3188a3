import { dayNumber, today } from './dates.js';
import type { ConfigProblem } from './problem.js';
import type { TrustConfig } from './schema.js';

/** A freshness check: reads the config and the injected clock, returns warnings as data. */
export type FreshnessCheck = (config: TrustConfig, now: Date) => ConfigProblem[];

function warning(code: string, path: ConfigProblem['path'], message: string, hint?: string): ConfigProblem {
  return { severity: 'warning', code, path, message, ...(hint ? { hint } : {}) };
}

/** Certificates past `expires_at`. They render as expired; the warning says so before a buyer does. */
export const expiredCertificates: FreshnessCheck = (config, now) =>
  config.compliance.frameworks.flatMap((f, i) =>
    f.expires_at && dayNumber(f.expires_at) < today(now) && (f.status === 'certified' || f.status === 'compliant')
      ? [warning('WARN_TRUST_CERT_EXPIRED', ['compliance', 'frameworks', i, 'expires_at'], `${f.name ?? f.framework} expired on ${f.expires_at}; the site shows it as expired.`, 'Add the renewed certificate dates, or change the status.')]
      : [],
  );

/** SOC 2 reports whose period ended longer ago than `compliance.soc2_max_age_days`. */
export const staleSoc2Periods: FreshnessCheck = (config, now) =>
  config.compliance.frameworks.flatMap((f, i) => {
    if (!f.framework.startsWith('soc2') || !f.period || f.status !== 'certified') return [];
    const age = today(now) - dayNumber(f.period.end);
    return age > config.compliance.soc2_max_age_days
      ? [warning('WARN_TRUST_SOC2_STALE', ['compliance', 'frameworks', i, 'period', 'end'], `The ${f.name ?? 'SOC 2'} period ended ${age} days ago (limit ${config.compliance.soc2_max_age_days}).`, 'Publish the next report period, or raise compliance.soc2_max_age_days.')]
      : [];
  });

/** Controls and questionnaire answers whose `reviewed_at` is older than the review interval. */
export const staleReviews: FreshnessCheck = (config, now) => {
  const out: ConfigProblem[] = [];
  const t = today(now);
  config.controls.sections.forEach((s, i) =>
    s.items.forEach((c, j) => {
      if (c.reviewed_at && t - dayNumber(c.reviewed_at) > config.controls.review_interval_days) {
        out.push(warning('WARN_TRUST_REVIEW_STALE', ['controls', 'sections', i, 'items', j, 'reviewed_at'], `"${c.title}" was last reviewed on ${c.reviewed_at}, more than ${config.controls.review_interval_days} days ago.`, 'Check the statement is still true and update reviewed_at.'));
      }
    }),
  );
  config.questionnaire.categories.forEach((c, i) =>
    c.questions.forEach((q, j) => {
      if (t - dayNumber(q.reviewed_at) > config.questionnaire.review_interval_days) {
        out.push(warning('WARN_TRUST_REVIEW_STALE', ['questionnaire', 'categories', i, 'questions', j, 'reviewed_at'], `The answer to "${q.question}" was last reviewed on ${q.reviewed_at}, more than ${config.questionnaire.review_interval_days} days ago.`, 'Re-read the answer and update reviewed_at.'));
      }
    }),
  );
  config.documents.forEach((d, i) => {
    if (d.review_by && dayNumber(d.review_by) < t) {
      out.push(warning('WARN_TRUST_REVIEW_STALE', ['documents', i, 'review_by'], `"${d.title}" was due for review on ${d.review_by}.`));
    }
  });
  return out;
};

/** A fixed security.txt `Expires` must be in the future and under a year away (RFC 9116 §2.5.5). */
export const securityTxtExpiry: FreshnessCheck = (config, now) => {
  const expires = config.disclosure.security_txt.expires;
  if (!expires) return [];
  const path = ['disclosure', 'security_txt', 'expires'];
  const days = dayNumber(expires) - today(now);
  if (days <= 0) return [warning('WARN_TRUST_SECURITY_TXT_EXPIRED', path, `security.txt Expires (${expires}) is not in the future; readers must ignore the file.`, 'Remove expires to let the build manage it, or set a date within the next year.')];
  if (days > 366) return [warning('WARN_TRUST_SECURITY_TXT_EXPIRES_TOO_FAR', path, `security.txt Expires (${expires}) is ${days} days away; RFC 9116 recommends less than a year.`, 'Remove expires to let the build manage it.')];
  return [];
};

/** A sub-processor that starts before customers had `notice_days` to object (GDPR Art. 28(2)). */
export const subprocessorNoticeWindow: FreshnessCheck = (config, now) =>
  config.subprocessors.entries.flatMap((s, i) => {
    const path = ['subprocessors', 'entries', i];
    const notice = config.subprocessors.notice_days;
    if (!s.announced_at) {
      return dayNumber(s.effective_from) > today(now) - notice
        ? [warning('WARN_TRUST_SUBPROCESSOR_NOTICE', [...path, 'announced_at'], `${s.name} starts on ${s.effective_from} but has no announced_at.`, `Record when customers were told; they get ${notice} days to object.`)]
        : [];
    }
    const given = dayNumber(s.effective_from) - dayNumber(s.announced_at);
    return given < notice && given >= 0
      ? [warning('WARN_TRUST_SUBPROCESSOR_NOTICE', [...path, 'effective_from'], `${s.name} is effective ${given} day(s) after it was announced; the notice window is ${notice} days.`, `Move effective_from to ${new Date((dayNumber(s.announced_at) + notice) * 86_400_000).toISOString().slice(0, 10)} or later.`)]
      : [];
  });

/** Items in the known-gaps register whose target date has passed. */
export const missedTargets: FreshnessCheck = (config, now) =>
  config.controls.sections.flatMap((s, i) =>
    s.items.flatMap((c, j) =>
      c.status !== 'in_place' && c.target_date && dayNumber(c.target_date) < today(now)
        ? [warning('WARN_TRUST_TARGET_MISSED', ['controls', 'sections', i, 'items', j, 'target_date'], `"${c.title}" missed its target date ${c.target_date}.`, 'Move the old date to slipped_from and set a new target_date.')]
        : [],
    ),
  );

/** Review and issue dates in the future are almost always typos (2062 for 2026). */
export const datesInFuture: FreshnessCheck = (config, now) => {
  const out: ConfigProblem[] = [];
  const t = today(now);
  const check = (date: string | undefined, path: ConfigProblem['path'], what: string) => {
    if (date && dayNumber(date) > t) out.push(warning('WARN_TRUST_DATE_IN_FUTURE', path, `${what} (${date}) is in the future.`, 'Check for a typo; a review or issue date cannot be later than today.'));
  };
  config.controls.sections.forEach((s, i) => s.items.forEach((c, j) => check(c.reviewed_at, ['controls', 'sections', i, 'items', j, 'reviewed_at'], 'reviewed_at')));
  config.questionnaire.categories.forEach((c, i) => c.questions.forEach((q, j) => check(q.reviewed_at, ['questionnaire', 'categories', i, 'questions', j, 'reviewed_at'], 'reviewed_at')));
  config.compliance.frameworks.forEach((f, i) => check(f.issued_at, ['compliance', 'frameworks', i, 'issued_at'], 'issued_at'));
  return out;
};

export const FRESHNESS_CHECKS: ReadonlyArray<FreshnessCheck> = [
  expiredCertificates,
  staleSoc2Periods,
  staleReviews,
  securityTxtExpiry,
  subprocessorNoticeWindow,
  missedTargets,
  datesInFuture,
];

/**
 * Runs every freshness check against the injected clock.
 *
 * @example
 * ```ts
 * const warnings = lintFreshness(config, { now: new Date('2026-06-01T00:00:00Z') });
 * ```
 */
export function lintFreshness(config: TrustConfig, options: { now: Date }): ConfigProblem[] {
  return FRESHNESS_CHECKS.flatMap((check) => check(config, options.now));
}
