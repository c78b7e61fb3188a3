import type { ConfigProblem } from './config/problem.js';
import type { TrustConfig } from './config/schema.js';

/** What the pages read from `virtual:@stela/trust-center/config`. */
export interface SiteData {
  config: TrustConfig;
  /** The build clock, ISO 8601. Pages compare dates against this, never against the wall clock. */
  now: string;
  /** The base path without a trailing slash ('' for the root). */
  base: string;
  warnings: ConfigProblem[];
  signed: boolean;
  /** Whether the in-browser verifier is built. */
  verifier: boolean;
  jsonLd: unknown;
}
