import { z } from 'zod';
import { TrustConfigSchema } from './schema.js';

/**
 * The JSON Schema for config files, generated from the zod schema (input side, so defaulted
 * keys are optional). `schema.json` in the package is this output, kept honest by a test.
 *
 * @example
 * ```ts
 * const schema = generateJsonSchema();
 * ```
 */
export function generateJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(TrustConfigSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  return {
    ...schema,
    $id: 'https://stela.dev/schemas/trust-center/v1/schema.json',
    title: 'Stela trust-center config',
  };
}
