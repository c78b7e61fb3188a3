import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

/** The fixed clock every test uses. */
export const NOW = new Date('2026-06-01T12:00:00Z');

export function fixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');
}

/** Scratch folders under packages/trust-center/.tmp/, removed after the calling file's tests. */
export function scratchDirs(): { tmpRoot: string; track: (dir: string) => string } {
  const tmpRoot = fileURLToPath(new URL('../.tmp/', import.meta.url));
  const created: string[] = [];
  afterAll(() => {
    for (const dir of created) rmSync(dir, { recursive: true, force: true });
  });
  return {
    tmpRoot,
    track(dir) {
      created.push(dir);
      return dir;
    },
  };
}
