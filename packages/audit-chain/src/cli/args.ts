/** Argument parsing over `node:util` `parseArgs`, with its errors turned into usage errors. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { usageError } from './io.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parsed flags and positionals of one command. */
export interface ParsedArgs {
  readonly values: Record<string, string | boolean | undefined>;
  readonly positionals: string[];
}

/**
 * Parses `argv` strictly against `options` (every command also gets `--help`/`-h`).
 * @throws AuditChainError `ERR_AUDIT_USAGE` for an unknown flag or a flag missing its value.
 */
export function parseCommandArgs(command: string, argv: readonly string[], options: Options): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: true,
    });
    return { values: values as ParsedArgs['values'], positionals };
  } catch (e) {
    const code = (e as { code?: string }).code;
    const message = (e as Error).message;
    const flag = /'(-[^' ]+)/.exec(message)?.[1];
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw usageError(`unknown option ${flag ?? message}`, command);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      if (/argument missing/.test(message)) throw usageError(`option ${flag ?? ''} needs a value`, command);
      if (/ambiguous/.test(message)) throw usageError(`option ${flag ?? ''} needs a value, but is followed by another option`, command);
      throw usageError(`option ${flag ?? ''} does not take a value`, command);
    }
    throw usageError(message.split('\n')[0]!, command);
  }
}

/** Exactly one positional argument, named `what`. */
export function onePositional(command: string, positionals: readonly string[], what: string): string {
  if (positionals.length === 0) throw usageError(`missing ${what}`, command);
  if (positionals.length > 1) throw usageError(`expected one ${what}, got ${positionals.length}: ${positionals.join(' ')}`, command);
  return positionals[0]!;
}

/** A required string flag. */
export function requiredString(command: string, values: ParsedArgs['values'], name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw usageError(`missing --${name}`, command);
  return v;
}
