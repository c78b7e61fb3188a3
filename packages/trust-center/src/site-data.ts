import type { ConfigProblem } from './config/problem.js';
import type { TrustConfig } from './config/schema.js';

/** What the pages read from `virtual:@stela/trust-center/config`. */
export interface SiteData {
  config: TrustConfig;
  /** The build clock, ISO 8601. Pages compare dates against this, never against the wall clock. */
  now: string;
  /** The path prefix of the pages in links: Astro's `base` plus the integration's, no trailing slash. */
  base: string;
  /** Astro's own `base` without a trailing slash: where `/.well-known/` links point. */
  root: string;
  warnings: ConfigProblem[];
  signed: boolean;
  /** Whether the in-browser verifier is built. */
  verifier: boolean;
  jsonLd: unknown;
}
