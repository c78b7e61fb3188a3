import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The fixed clock every test uses. */
export const NOW = new Date('2026-06-01T12:00:00Z');

export function fixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');
}
