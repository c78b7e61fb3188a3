import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Whether `@stela/audit-chain` exports `verifyExport` yet. The verify page is built only then;
 * until it does, the page says so instead of shipping a verifier that is not the real one.
 */
export function detectVerifier(): boolean {
  try {
    const require = createRequire(import.meta.url);
    const pkgJson = require.resolve('@stela/audit-chain/package.json');
    const root = dirname(pkgJson);
    for (const entry of ['src/index.ts', 'dist/index.js']) {
      const file = join(root, entry);
      if (existsSync(file) && /\bverifyExport\b/.test(readFileSync(file, 'utf8'))) return true;
    }
    return false;
  } catch {
    return false;
  }
}
