import { createAuditLog, createLocalSigner, createMemoryStore, generateAuditKey, type EntryInput } from '../src/index.js';

/** A deterministic clock: starts at `start`, advances `stepMs` per call. */
export function fakeClock(start = '2026-03-01T09:00:00.000Z', stepMs = 1000) {
  let t = new Date(start).getTime();
  return () => new Date((t += stepMs));
}

/** Deterministic "random" bytes from a counter (tests only). */
export function fakeRandom() {
  let n = 0;
  return (len: number) => Uint8Array.from({ length: len }, (_, i) => (n * 31 + i * 7 + 1) & 0xff, n++);
}

/** An entry with every field set, one erasable metadata key, and a non-UTC occurredAt. */
export const FULL_ENTRY = {
  tenant: 'org_42',
  action: 'skill.downloaded',
  outcome: 'success',
  occurredAt: '2026-05-01T10:00:00+02:00',
  actor: { type: 'user', id: 'u_7', display: 'Ada', email: 'ada@example.com' },
  target: { type: 'skill', id: 'sk_1', display: 'pdf-tools' },
  context: { ip: '203.0.113.9', userAgent: 'curl/8.5', requestId: 'req_1' },
  metadata: { version: '1.2.0', recipient: 'ada@example.com', size: 1234 },
  erasableMetadata: ['recipient'],
} as const satisfies EntryInput;

export function sampleEntry(i: number, tenant = 'org_1'): EntryInput {
  const person = i % 3;
  return {
    tenant,
    action: ['skill.downloaded', 'member.invited', 'auth.signed_in'][i % 3]!,
    outcome: i % 7 === 0 ? 'denied' : 'success',
    actor: { type: 'user', id: `u_${person}`, display: `Person ${person}`, email: `p${person}@example.com` },
    target: i % 2 ? { type: 'skill', id: `sk_${i}`, display: `=SUM(A${i})` } : undefined,
    context: { ip: `203.0.113.${i % 250}`, userAgent: 'Mozilla/5.0, "quoted"', requestId: `req_${i}` },
    metadata: { n: i, note: i % 5 === 0 ? '-5 line1\nline2' : 'plain', recipient: `r${i}@example.com` },
    erasableMetadata: ['recipient'],
  };
}

export async function makeLog(opts: { entries?: number; tenant?: string } = {}) {
  const key = await generateAuditKey();
  const signer = await createLocalSigner(key.privateJwk);
  const store = createMemoryStore();
  const log = createAuditLog({ store, signer, logName: 'audit.acme.example', now: fakeClock(), randomBytes: fakeRandom() });
  for (let i = 0; i < (opts.entries ?? 0); i++) await log.append(sampleEntry(i, opts.tenant));
  return { log, store, key, signer, jwks: key.publicJwks };
}

export async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  // Response.text() would strip a BOM; keep the bytes as written.
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(new Uint8Array(await new Response(stream).arrayBuffer()));
}
