import type { TrustConfig } from '../config/schema.js';
import { subprocessorState } from '../config/status.js';

/**
 * Builds `/subprocessors.json`: every sub-processor, current, upcoming and ended, with its state
 * on the build date and the objection deadline (`announced_at + notice_days`).
 *
 * @example
 * ```ts
 * const list = emitSubprocessorsJson(config, { now: new Date('2026-06-01T00:00:00Z') });
 * ```
 */
export function emitSubprocessorsJson(config: TrustConfig, options: { now: Date }) {
  const notice = config.subprocessors.notice_days;
  return {
    type: 'stela.subprocessors/v1',
    generated_at: options.now.toISOString(),
    controller_notice_days: notice,
    organisation: config.organisation.legal_entity ?? config.organisation.name,
    feed: `${config.organisation.trust_url.replace(/\/$/, '')}/feed.xml`,
    subprocessors: config.subprocessors.entries.map((s) => ({
      ...s,
      state: subprocessorState(s, options.now),
      objection_deadline: s.announced_at ? new Date(Date.parse(`${s.announced_at}T00:00:00Z`) + notice * 86_400_000).toISOString().slice(0, 10) : undefined,
    })),
  };
}
