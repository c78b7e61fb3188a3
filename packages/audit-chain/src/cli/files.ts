/** File access for the CLI: every file-system failure becomes one readable `ERR_AUDIT_USAGE`. */
import { open, readFile, stat, type FileHandle } from 'node:fs/promises';
import type { AuditChainError, AuditErrorCode } from '../errors.js';
import { cliError } from './io.js';

/** A readable reason for a file-system error code. */
export function describeFsError(e: unknown): string {
  const code = (e as { code?: string }).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'EEXIST':
      return 'it already exists';
    case 'ENOSPC':
      return 'the disk is full';
    default:
      return (e as Error).message;
  }
}

/** `ERR_AUDIT_USAGE: cannot <verb> <path>: <reason>`. */
export function fsError(verb: string, path: string, e: unknown): AuditChainError {
  return cliError('ERR_AUDIT_USAGE', `cannot ${verb} ${path}: ${describeFsError(e)}`, undefined, e);
}

/** Size of a regular file; throws a usage error for a missing path or a directory. */
export async function fileSize(path: string): Promise<number> {
  let info;
  try {
    info = await stat(path);
  } catch (e) {
    throw fsError('read', path, e);
  }
  if (info.isDirectory()) throw cliError('ERR_AUDIT_USAGE', `cannot read ${path}: it is a directory, not a file`);
  return info.size;
}

/** Opens a file for streaming reads (after `fileSize` checks). */
export async function openForReading(path: string): Promise<FileHandle> {
  try {
    return await open(path, 'r');
  } catch (e) {
    throw fsError('read', path, e);
  }
}

/**
 * Reads a small UTF-8 text file (a key, a key set, a checkpoint). Content problems are reported
 * with `badContent`, e.g. `ERR_AUDIT_KEYS_INVALID`.
 */
export async function readSmallText(path: string, what: string, badContent: AuditErrorCode, maxBytes = 1 << 20): Promise<string> {
  const size = await fileSize(path);
  if (size > maxBytes) throw cliError(badContent, `${path} is ${size} bytes, too large for ${what}`);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw fsError('read', path, e);
  }
  if (bytes.length === 0) throw cliError(badContent, `${path} is empty; expected ${what}`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw cliError(badContent, `${path} is not UTF-8 text; expected ${what}`);
  }
}

/** Parses JSON from a file's text, naming the file and position on failure. */
export function parseJsonFile(path: string, text: string, what: string, badContent: AuditErrorCode): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const where = /position \d+(?: \(line \d+ column \d+\))?/.exec((e as Error).message)?.[0];
    throw cliError(badContent, `${path} is not valid JSON${where ? ` (${where})` : ''}; expected ${what}`);
  }
}
