import { z } from 'zod';

/** The components a site may replace, each with our own as the default. */
export const ComponentOverridesSchema = z
  .strictObject({
    /** The site header: name, logo and navigation. Receives `base`, `config` and `current`. */
    Header: z.string().default('@stela/trust-center/components/Header.astro'),
    /** The page footer. Receives `config` and `builtAt`. */
    Footer: z.string().default('@stela/trust-center/components/Footer.astro'),
    /** A status pill. Receives `status` and optional `label`. */
    StatusBadge: z.string().default('@stela/trust-center/components/StatusBadge.astro'),
  })
  .default({
    Header: '@stela/trust-center/components/Header.astro',
    Footer: '@stela/trust-center/components/Footer.astro',
    StatusBadge: '@stela/trust-center/components/StatusBadge.astro',
  });

/** Options for `trustCenter()`. */
export const TrustCenterOptionsSchema = z.strictObject({
  /**
   * Path to the YAML (or JSON) config, relative to the Astro project root, or the config itself
   * as an object (write it in TypeScript with `defineTrustConfig`). @example ./trust.yaml
   */
  config: z.union([z.string(), z.looseObject({ schema_version: z.unknown() })]).default('./trust.yaml'),
  /** Where the pages live. @example /trust */
  base: z
    .string()
    .regex(/^\/([a-z0-9-]+(\/[a-z0-9-]+)*)?$/, { error: 'base must start with "/" and contain only lower-case path segments, e.g. "/trust".' })
    .default('/'),
  /** Replace our components with yours: a module specifier or a path relative to the project root. */
  components: ComponentOverridesSchema,
  /** The build clock. Defaults to the time the build starts; tests and reproducible builds pin it. */
  now: z.date().optional(),
  /** A private Ed25519 JWK that signs trust.json. Without it the site is built unsigned. */
  signingKey: z.unknown().optional(),
  /** Whether to build the verify page's in-browser verifier. `auto` builds it when `@stela/audit-chain` exports `verifyExport`. */
  verifier: z.union([z.boolean(), z.literal('auto')]).default('auto'),
});

export type TrustCenterOptions = z.input<typeof TrustCenterOptionsSchema>;
export type ResolvedTrustCenterOptions = z.output<typeof TrustCenterOptionsSchema>;
export type ComponentOverrides = z.output<typeof ComponentOverridesSchema>;
