/** A path into the config, as zod and the YAML document both understand it. */
export type ConfigPath = ReadonlyArray<string | number>;

/**
 * A problem found in a config: an error (the build stops) or a warning (the build goes on and
 * `stela-trust check` prints it). Problems are data; only the CLI turns them into an exit code.
 */
export interface ConfigProblem {
  severity: 'error' | 'warning';
  /** Stable: `ERR_TRUST_*` for errors, `WARN_TRUST_*` for warnings. */
  code: string;
  path: ConfigPath;
  message: string;
  hint?: string;
  /** Whether the position should be the key itself rather than its value (unknown keys). */
  at?: 'key' | 'value';
  file?: string;
  line?: number;
  column?: number;
}

/** `organisation.contacts.security`, `subprocessors.entries[2].name`. */
export function formatPath(path: ConfigPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out === '' ? '(root)' : out;
}

/** One problem as a terminal block: `file:line:col  path`, the message, then the hint. */
export function formatProblem(p: ConfigProblem): string {
  const where = p.file ? `${p.file}${p.line ? `:${p.line}:${p.column ?? 1}` : ''}` : p.line ? `line ${p.line}:${p.column ?? 1}` : '';
  const head = `${p.severity === 'error' ? 'error' : 'warning'} ${p.code}${where ? ` at ${where}` : ''}`;
  return [head, `  ${formatPath(p.path)}: ${p.message}`, ...(p.hint ? [`  hint: ${p.hint}`] : [])].join('\n');
}
