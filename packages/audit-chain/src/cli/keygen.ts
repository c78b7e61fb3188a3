/** `stela-audit keygen`: a new Ed25519 checkpoint-signing key pair. */
import { chmod, mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fromBase64Url } from '../bytes.js';
import { generateAuditKey } from '../keys.js';
import { noteVerifierKey } from '../signed-note.js';
import { parseCommandArgs } from './args.js';
import { fsError } from './files.js';
import { cliError, usageError, EXIT, type CliIo } from './io.js';

export const KEYGEN_HELP = `Usage: stela-audit keygen [--out <dir>] [--valid-from <time>] [--origin <origin>] [--force]

Creates an Ed25519 key pair for signing audit checkpoints:
  <dir>/audit-key.private.jwk   the private key (mode 0600): keep it secret, or better, in a KMS
  <dir>/audit-keys.json         the public key set: publish it at /.well-known/audit-keys.json

Options:
  --out <dir>          where to write the files (default: the current directory)
  --valid-from <time>  first instant the key may sign (RFC 3339), recorded in the public key
  --origin <origin>    log origin to print the C2SP signed-note verifier key for
                       (default: audit.skillhub.example/org_acme, the sample's origin)
  --force              overwrite existing key files
  -h, --help           show this help
`;

const PRIVATE_FILE = 'audit-key.private.jwk';
const PUBLIC_FILE = 'audit-keys.json';

/** Runs `keygen`; returns the exit code. */
export async function keygenCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('keygen', argv, {
    out: { type: 'string' },
    'valid-from': { type: 'string' },
    origin: { type: 'string' },
    force: { type: 'boolean' },
  });
  if (values.help) {
    io.stdout.write(KEYGEN_HELP);
    return EXIT.ok;
  }
  if (positionals.length) throw usageError(`unexpected argument ${positionals[0]}`, 'keygen');
  const dir = (values.out as string | undefined) ?? '.';
  const origin = (values.origin as string | undefined) ?? 'audit.skillhub.example/org_acme';
  let validFrom: string | undefined;
  if (values['valid-from'] !== undefined) {
    const raw = values['valid-from'] as string;
    const d = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/i.test(raw) ? new Date(raw) : new Date(NaN);
    if (Number.isNaN(d.getTime())) throw usageError(`--valid-from ${JSON.stringify(raw)} is not an RFC 3339 time such as 2026-01-01T00:00:00Z`, 'keygen');
    validFrom = d.toISOString();
  }
  if (/\s|\+/.test(origin) || origin === '') throw usageError('--origin must be a schema-less URL without spaces or "+", e.g. audit.acme.example/org_1', 'keygen');

  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    throw fsError('create directory', dir, e);
  }
  const privatePath = join(dir, PRIVATE_FILE);
  const publicPath = join(dir, PUBLIC_FILE);
  if (!values.force) {
    for (const p of [privatePath, publicPath]) {
      const exists = await stat(p).then(
        () => true,
        () => false,
      );
      if (exists) throw cliError('ERR_AUDIT_USAGE', `refusing to overwrite ${p}`, 'pass --force to replace it (the old key can then no longer sign; keep it in audit-keys.json with valid_until if checkpoints it signed must still verify).');
    }
  }
  const key = await generateAuditKey(validFrom ? { validFrom } : {});
  try {
    await writeFile(privatePath, JSON.stringify(key.privateJwk, null, 2) + '\n', { mode: 0o600, flag: values.force ? 'w' : 'wx' });
    // An existing file keeps its mode on overwrite.
    await chmod(privatePath, 0o600);
  } catch (e) {
    throw fsError('write', privatePath, e);
  }
  try {
    await writeFile(publicPath, JSON.stringify(key.publicJwks, null, 2) + '\n', { flag: values.force ? 'w' : 'wx' });
  } catch (e) {
    throw fsError('write', publicPath, e);
  }
  const vkey = noteVerifierKey(origin, fromBase64Url(key.privateJwk.x)!);
  io.stdout.write(
    `wrote ${privatePath}  (private: keep it secret; mode 0600)\n` +
      `wrote ${publicPath}  (public: publish it, e.g. at /.well-known/audit-keys.json)\n` +
      `kid   ${key.kid}\n` +
      (validFrom ? `valid from ${validFrom}\n` : '') +
      `vkey  ${vkey}\n` +
      `      (C2SP signed-note verifier key for origin ${origin}; note key names are per origin)\n`,
  );
  return EXIT.ok;
}
