import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { TrustCenterError } from '../errors.js';
import type { ConfigResult } from './parse-config.js';
import { safeParseTrustYaml } from './parse-yaml.js';

/**
 * Reads a YAML config from disk and validates it. Problems carry the path relative to `cwd`.
 *
 * @throws {TrustCenterError} `ERR_TRUST_CONFIG_NOT_FOUND` when the file cannot be read.
 */
export async function loadConfig(file: string, options: { now: Date; cwd?: string }): Promise<ConfigResult & { source: string; path: string }> {
  const path = resolve(options.cwd ?? '.', file);
  let source: string;
  try {
    source = await readFile(path, 'utf8');
  } catch (cause) {
    throw new TrustCenterError('ERR_TRUST_CONFIG_NOT_FOUND', `Cannot read the trust-center config at ${path}.`, { cause });
  }
  const shown = relative(options.cwd ?? process.cwd(), path) || path;
  return { ...safeParseTrustYaml(source, { now: options.now, file: shown }), source, path };
}
