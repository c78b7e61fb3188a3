// One CSV export from the real Postgres server in a fresh process, so its peak RSS
// (process.resourceUsage().maxRSS at exit) belongs to this export alone. Prints one JSON line.
// Usage: _export-child.mjs <database url> <tenant> <toSeq> <out file> <private JWK file>
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { dist } from './_lib.mjs';

const [url, tenant, toSeq, out, keyFile] = process.argv.slice(2);
const { createAuditLog, createLocalSigner } = await import(join(dist, 'index.js'));
const { createPostgresStore } = await import(join(dist, 'store', 'postgres.js'));
const pool = new pg.Pool({ connectionString: url, options: '-c role=stela_audit_writer', max: 2 });
// The export signs its own descriptor; the parent signed a checkpoint covering every row first.
const signer = await createLocalSigner(JSON.parse(readFileSync(keyFile, 'utf8')));
const log = createAuditLog({ store: createPostgresStore({ pool }), signer, logName: 'audit.bench.example' });
const c0 = process.cpuUsage();
const t0 = performance.now();
let bytes = 0;
const counted = log.exportCsv(tenant, { toSeq: Number(toSeq) }).pipeThrough(
  new TransformStream({ transform(chunk, ctl) { bytes += chunk.byteLength; ctl.enqueue(chunk); } }),
);
await pipeline(Readable.fromWeb(counted), createWriteStream(out));
const wallS = (performance.now() - t0) / 1000;
const cu = process.cpuUsage(c0);
await pool.end();
console.log(JSON.stringify({ rows: Number(toSeq), bytes, wallS, cpuS: (cu.user + cu.system) / 1e6, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
