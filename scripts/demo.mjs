#!/usr/bin/env node
// `./run demo`: the audit-chain walkthrough. A made-up vendor (SkillHub) keeps a tamper-evident
// audit log for its customer Acme; Acme exports it, verifies it offline, and catches an edited
// cell and a truncated log. Exits 0 only if every step behaved as expected, so CI can trust it.
//
// It runs the TypeScript sources directly (no build step): Node >= 22.18 strips types, the
// `--experimental-transform-types` flag covers the few constructs stripping cannot, and a small
// resolve hook maps our `./x.js` imports to `./x.ts` and adds the `@stela/source` condition.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { register } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

if (!process.env.STELA_DEMO_CHILD) {
  const r = spawnSync(
    process.execPath,
    ['--experimental-transform-types', '--disable-warning=ExperimentalWarning', fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: 'inherit', env: { ...process.env, STELA_DEMO_CHILD: '1' } },
  );
  process.exit(r.status ?? 1);
}

const HOOKS = `
export async function resolve(specifier, context, next) {
  const ctx = { ...context, conditions: [...context.conditions, '@stela/source'] };
  try {
    return await next(specifier, ctx);
  } catch (e) {
    if (e?.code === 'ERR_MODULE_NOT_FOUND' && specifier.startsWith('.') && specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
      return next(specifier.slice(0, -3) + '.ts', ctx);
    }
    throw e;
  }
}`;
register('data:text/javascript,' + encodeURIComponent(HOOKS));

const src = new URL('../packages/audit-chain/src/', import.meta.url);
const { createAuditLog, createLocalSigner } = await import(new URL('index.ts', src).href);
const { createPostgresStore, migrate } = await import(new URL('store/postgres.ts', src).href);
const { PGlite } = await import('@electric-sql/pglite');

// The embedded default: PGlite, a real Postgres compiled to WebAssembly, in memory. The same store
// runs on a Postgres server through node-postgres; only the connection differs.
async function embeddedStore() {
  const pglite = await PGlite.create();
  await migrate({ pglite });
  return { store: createPostgresStore({ pglite }), close: () => pglite.close() };
}
const { sampleEvents, writeSampleLog } = await import(new URL('sample.ts', src).href);
const { main } = await import(new URL('cli/main.ts', src).href);

const tty = process.stdout.isTTY;
const bold = (s) => (tty ? `\u001b[1m${s}\u001b[22m` : s);
const dim = (s) => (tty ? `\u001b[2m${s}\u001b[22m` : s);
const say = (s = '') => process.stdout.write(s + '\n');
const indent = (text) => text.replace(/\n$/, '').split('\n').map((l) => (l ? '    ' + l : l)).join('\n');
let failures = 0;
function check(ok, what) {
  say(ok ? `  ✓ ${what}` : `  ✗ UNEXPECTED: ${what}`);
  if (!ok) failures++;
}

/** Runs a stela-audit command in-process and shows it like a terminal session. */
async function cli(...argv) {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: { write: (s) => (out += s) }, stderr: { write: (s) => (err += s) } });
  say(dim(`  $ stela-audit ${argv.join(' ')}`));
  if (out) say(indent(out));
  if (err) say(indent(err));
  say(dim(`    (exit code ${code})`));
  return { code, out, err };
}

const started = Date.now();
const dir = await mkdtemp(join(tmpdir(), 'stela-demo-'));
process.chdir(dir);
// Also on an abnormal end (a killed run, or a step whose promise never settles: exit code 13).
process.on('exit', (code) => {
  if (code === 13) process.stderr.write('demo: a step never finished (a promise never settled)\n');
  rmSync(dir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));
const TENANT = 'org_acme';
const LOG_NAME = 'audit.skillhub.example';

try {
  say(bold('Stela audit-chain walkthrough'));
  say('SkillHub, a made-up skill-catalogue vendor, keeps an append-only audit log per customer.');
  say('Its customer Acme (tenant org_acme) wants to check that log itself, offline.');
  say(dim(`(working in ${dir})`));

  say('\n' + bold('1. SkillHub makes a checkpoint-signing key and publishes the public half'));
  const keygen = await cli('keygen', '--out', 'skillhub', '--origin', `${LOG_NAME}/${TENANT}`);
  check(keygen.code === 0, 'keygen wrote audit-key.private.jwk (0600) and audit-keys.json');
  const privateJwk = JSON.parse(await readFile('skillhub/audit-key.private.jwk', 'utf8'));
  const signer = await createLocalSigner(privateJwk);

  say('\n' + bold("2. SkillHub's app records what happens in Acme's workspace"));
  let clock = new Date(0);
  const { store, close: closeStore } = await embeddedStore();
  const log = createAuditLog({ store, signer, logName: LOG_NAME, now: () => clock });
  const FIRST = 240;
  await writeSampleLog(log, { rows: FIRST, tenant: TENANT, seed: 'demo', onEvent: (e) => (clock = new Date(e.recordedAt)) });
  say(`  appended ${FIRST} entries with createAuditLog on embedded Postgres (PGlite): downloads, sign-ins, invitations,`);
  say('  role and policy changes, API keys, and one GDPR erasure of a former employee (seq 180).');
  clock = new Date(clock.getTime() + 60_000);
  check((await store.head(TENANT)).size === FIRST, `the log holds seq 1–${FIRST}`);

  say('\n' + bold("3. Acme's admin downloads an export (CSV, one signed checkpoint at the end)"));
  await writeFile('export-1.csv', new Uint8Array(await new Response(log.exportCsv(TENANT)).arrayBuffer()));
  say(`  export-1.csv: ${(await stat('export-1.csv')).size.toLocaleString('en-US')} bytes`);

  say('\n' + bold("4. Acme verifies it with SkillHub's published key"));
  const v1 = await cli('verify', 'export-1.csv', '--keys', 'skillhub/audit-keys.json');
  check(v1.code === 0 && v1.out.startsWith('VERIFIED'), 'the export verifies (exit 0)');
  check(/erased fields\s+[1-9]/.test(v1.out), 'erased personal data is reported, and the chain still verifies');

  say('\n' + bold('5. Acme keeps the checkpoint, to hold SkillHub to it later'));
  const cp = await cli('checkpoint', 'export-1.csv', '--keys', 'skillhub/audit-keys.json', '--out', 'acme-trusted.jws');
  check(cp.code === 0, 'checkpoint saved to acme-trusted.jws');

  say('\n' + bold('6. Someone edits one cell: a denied download becomes a success'));
  const lines = (await readFile('export-1.csv', 'utf8')).split('\r\n');
  const row = lines.findIndex((l) => l.startsWith('entry,') && l.includes(',skill.downloaded,denied,'));
  const seq = Number(lines[row].split(',')[1]);
  lines[row] = lines[row].replace(',skill.downloaded,denied,', ',skill.downloaded,success,');
  await writeFile('export-1-edited.csv', lines.join('\r\n'));
  say(`  changed the outcome of seq ${seq} (CSV row ${row + 1}) from "denied" to "success"`);
  const v2 = await cli('verify', 'export-1-edited.csv', '--keys', 'skillhub/audit-keys.json');
  check(v2.code === 1 && v2.err.includes('ERR_AUDIT_HASH_MISMATCH') && v2.err.includes(`row ${row + 1} (seq ${seq})`), `caught: ERR_AUDIT_HASH_MISMATCH at row ${row + 1}, seq ${seq} (exit 1)`);

  say('\n' + bold('7. Later: more entries, a new export, checked against the saved checkpoint'));
  const MORE = 60;
  // The same story continues: events 241–300 of the same seeded sample.
  for (const e of sampleEvents({ rows: FIRST + MORE, tenant: TENANT, seed: 'demo' })) {
    if (e.seq <= FIRST) continue;
    clock = new Date(e.recordedAt);
    if (e.kind === 'entry') await log.append(e.entry);
    else await log.erase(e.tenant, e.subject, { actor: e.actor });
  }
  const size2 = (await store.head(TENANT)).size;
  clock = new Date(clock.getTime() + 60_000);
  await writeFile('export-2.csv', new Uint8Array(await new Response(log.exportCsv(TENANT)).arrayBuffer()));
  const v3 = await cli('verify', 'export-2.csv', '--keys', 'skillhub/audit-keys.json', '--trusted-checkpoint', 'acme-trusted.jws');
  check(v3.code === 0 && v3.out.includes('consistent with this export'), `the longer export (seq 1–${size2.toLocaleString('en-US')}) extends what Acme saw before`);

  say('\n' + bold('8. A rogue operator drops the newest entries and re-signs a shorter log'));
  const { store: forged, close: closeForged } = await embeddedStore();
  let forgedClock = new Date(0);
  const forgedLog = createAuditLog({ store: forged, signer, logName: LOG_NAME, now: () => forgedClock });
  await writeSampleLog(forgedLog, { rows: 200, tenant: TENANT, seed: 'demo', onEvent: (e) => (forgedClock = new Date(e.recordedAt)) });
  forgedClock = new Date(forgedClock.getTime() + 60_000);
  await writeFile('export-forged.csv', new Uint8Array(await new Response(forgedLog.exportCsv(TENANT)).arrayBuffer()));
  say('  export-forged.csv holds seq 1–200, correctly hashed and signed with the real key:');
  const v4 = await cli('verify', 'export-forged.csv', '--keys', 'skillhub/audit-keys.json');
  check(v4.code === 0, 'on its own, the shorter log verifies: a signature alone cannot show what is missing');
  const v5 = await cli('verify', 'export-forged.csv', '--keys', 'skillhub/audit-keys.json', '--trusted-checkpoint', 'acme-trusted.jws');
  check(v5.code === 1 && v5.err.includes('ERR_AUDIT_CHECKPOINT_INCONSISTENT'), "caught by Acme's saved checkpoint: ERR_AUDIT_CHECKPOINT_INCONSISTENT (exit 1)");
  await closeStore();
  await closeForged();

  const secs = ((Date.now() - started) / 1000).toFixed(1);
  say();
  if (failures === 0) say(bold(`Every step behaved as expected (${secs} s).`));
  else say(bold(`${failures} step(s) did not behave as expected (${secs} s).`));
} catch (e) {
  failures++;
  say(`\n  ✗ the demo itself failed: ${e?.stack ?? e}`);
} finally {
  process.chdir(tmpdir());
  await rm(dir, { recursive: true, force: true });
}
process.exit(failures === 0 ? 0 : 1);
