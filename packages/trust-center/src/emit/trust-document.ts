import type { TrustConfig } from '../config/schema.js';
import { displayedFrameworkStatus, subprocessorState } from '../config/status.js';

/** The `trust.json` format version. Independent of the config version. */
export const TRUST_DOCUMENT_VERSION = 'stela.trust/v1';

/**
 * Builds the machine-readable posture (`/trust.json`): the whole normalised config, with
 * framework and sub-processor states resolved against the build clock so that an expired
 * certificate is never published as current.
 *
 * @example
 * ```ts
 * const doc = buildTrustDocument(config, { now: new Date('2026-06-01T00:00:00Z') });
 * ```
 */
export function buildTrustDocument(config: TrustConfig, options: { now: Date }) {
  const { $schema: _ignored, branding: _branding, ...rest } = config;
  const trust = config.organisation.trust_url.replace(/\/$/, '');
  const origin = new URL(config.organisation.trust_url).origin;
  return {
    type: TRUST_DOCUMENT_VERSION,
    generated_at: options.now.toISOString(),
    ...rest,
    compliance: {
      ...config.compliance,
      frameworks: config.compliance.frameworks.map((f) => ({ ...f, displayed_status: displayedFrameworkStatus(f, options.now) })),
    },
    subprocessors: {
      ...config.subprocessors,
      entries: config.subprocessors.entries.map((s) => ({ ...s, state: subprocessorState(s, options.now) })),
    },
    links: {
      html: `${trust}/`,
      subprocessors: `${trust}/subprocessors.json`,
      feed: `${trust}/feed.xml`,
      security_txt: `${origin}/.well-known/security.txt`,
      audit_keys: `${origin}/.well-known/audit-keys.json`,
      signature: `${trust}/trust.json.jws`,
      signing_keys: `${origin}/.well-known/trust-keys.json`,
    },
  };
}

export type TrustDocument = ReturnType<typeof buildTrustDocument>;
