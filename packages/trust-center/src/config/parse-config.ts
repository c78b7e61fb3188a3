import { friendlyIssues } from './friendly-errors.js';
import { lintFreshness } from './freshness.js';
import { normaliseConfig } from './normalise.js';
import type { ConfigProblem } from './problem.js';
import { CONFIG_RULES } from './rules.js';
import { TrustConfigSchema, type TrustConfig } from './schema.js';

export type ConfigResult =
  | { ok: true; config: TrustConfig; warnings: ConfigProblem[] }
  | { ok: false; errors: ConfigProblem[]; warnings: ConfigProblem[] };

/**
 * Validates a config object in three steps: parse the shape, normalise defaults, then check the
 * cross-field rules. Freshness warnings come back alongside. Never throws for bad input.
 *
 * @example
 * ```ts
 * const result = safeParseTrustConfig(data, { now: new Date('2026-06-01T00:00:00Z') });
 * if (!result.ok) for (const e of result.errors) console.log(e.message);
 * ```
 */
export function safeParseTrustConfig(data: unknown, options: { now: Date }): ConfigResult {
  const shaped = TrustConfigSchema.safeParse(data, { reportInput: true });
  if (!shaped.success) return { ok: false, errors: friendlyIssues(shaped.error.issues, TrustConfigSchema), warnings: [] };
  const config = normaliseConfig(shaped.data);
  const errors = CONFIG_RULES.flatMap((rule) => rule(config));
  const warnings = lintFreshness(config, options);
  return errors.length ? { ok: false, errors, warnings } : { ok: true, config, warnings };
}
