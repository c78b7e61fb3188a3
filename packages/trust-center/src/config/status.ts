import { dayNumber, today } from './dates.js';
import type { Subprocessor } from './schemas/subprocessors.js';
import type { Framework } from './schemas/compliance.js';

/** What the site and trust.json show for a framework, after the clock has had its say. */
export type DisplayedFrameworkStatus = Framework['status'] | 'expired';

/** A certified or compliant framework past `expires_at` is shown as expired, never as current. */
export function displayedFrameworkStatus(f: Framework, now: Date): DisplayedFrameworkStatus {
  if ((f.status === 'certified' || f.status === 'compliant') && f.expires_at && dayNumber(f.expires_at) < today(now)) return 'expired';
  return f.status;
}

export type SubprocessorState = 'upcoming' | 'current' | 'ended';

/** Whether a sub-processor is announced but not yet effective, active, or ended, on `now`. */
export function subprocessorState(s: Subprocessor, now: Date): SubprocessorState {
  const t = today(now);
  if (s.ended_at && dayNumber(s.ended_at) < t) return 'ended';
  if (dayNumber(s.effective_from) > t) return 'upcoming';
  return 'current';
}
