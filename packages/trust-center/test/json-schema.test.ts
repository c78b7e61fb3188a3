import { expect, it } from 'vitest';
import { generateJsonSchema } from '../src/config/index.js';

// schema.json ships with the package for YAML editors. It is generated, never hand-edited:
// `vitest run -u` rewrites it after an intended schema change.
it('schema.json matches the zod schema', async () => {
  await expect(`${JSON.stringify(generateJsonSchema(), null, 2)}\n`).toMatchFileSnapshot('../schema.json');
});
