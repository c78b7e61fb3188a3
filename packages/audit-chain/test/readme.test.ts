// The README's quick start is documentation that must run: this test executes it verbatim.
import { expect, it } from 'vitest';
import { readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';

it('README quick start runs and prints what it says', async () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const block = /<!-- quick-start[^>]*-->\s*```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(block, 'README has a quick-start block').toBeTruthy();
  const dir = new URL('./.readme-tmp/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  const file = new URL('quick-start.ts', dir);
  const logged: unknown[][] = [];
  (globalThis as { __readmeLog?: unknown }).__readmeLog = (...a: unknown[]) => logged.push(a);
  writeFileSync(file, block!.replace(/console\.log\(/g, '(globalThis as any).__readmeLog('));
  try {
    await import(/* @vite-ignore */ file.href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  expect(logged).toEqual([[true, 1, 1]]);
});
