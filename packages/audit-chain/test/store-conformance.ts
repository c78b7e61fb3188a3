/**
 * The behavioural contract of `AuditStore`, exercised through `createAuditLog` as real callers use
 * it. Every store runs this one suite (store-memory, store-pglite, store-postgres). Tests differ
 * only by declared capability, never by store name.
 */
import type { StoreCapabilities } from '../src/store/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAuditLog,
  createLocalSigner,
  createTreeBuilder,
  generateAuditKey,
  parseEntryInput,
  sealEntry,
  verifyConsistency,
  verifyExport,
  verifyInclusion,
  GENESIS_HASH,
  type AuditLog,
  type AuditRecord,
  type AuditStore,
  type EntryInput,
  type Signer,
  type StoredEntry,
} from '../src/index.js';
import { fromHex, toHex } from '../src/bytes.js';
import { fakeRandom, readAll, sampleEntry } from './helpers.js';

/** What a store's test file hands the suite. */
export interface StoreHarness<Tx> {
  readonly store: AuditStore<Tx>;
  /**
   * Runs `fn` inside a transaction the caller owns: commits when it resolves, rolls back when it
   * throws. Required when the store declares `callerTransactions`.
   */
  readonly transaction?: <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>;
  /**
   * A second store over the same data, as a second application server would have. Required when
   * the store declares `callerTransactions` (a store that joins the caller's database
   * transactions is a database that several processes share).
   */
  readonly another?: () => AuditStore<Tx>;
  /**
   * A store over the same data connected as the tables' owner, where the database itself enforces
   * append-only (the application role may set a legal hold but not lift it). Required when the
   * store declares `databaseEnforcedAppendOnly`.
   */
  readonly owner?: () => AuditStore<Tx>;
  readonly close?: () => Promise<void>;
}

const DAY = 86_400_000;

/** A clock that ticks one second per reading and can jump ahead. */
function steppingClock(start = '2026-03-01T09:00:00.000Z') {
  let t = new Date(start).getTime();
  return { now: () => new Date((t += 1000)), advance: (ms: number) => void (t += ms) };
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** Registers the conformance suite for one store. */
export function describeStoreConformance<Tx>(name: string, capabilities: StoreCapabilities, factory: () => Promise<StoreHarness<Tx>>): void {
  describe(`AuditStore conformance: ${name}`, () => {
    let h: StoreHarness<Tx>;
    let signer: Signer;
    let jwks: Awaited<ReturnType<typeof generateAuditKey>>['publicJwks'];
    let tenants = 0;
    // Tests share one store (a database is slow to create), so each test writes its own tenants.
    const tenant = (label: string) => `${label}/${++tenants} ü`;

    beforeAll(async () => {
      h = await factory();
      const key = await generateAuditKey();
      signer = await createLocalSigner(key.privateJwk);
      jwks = key.publicJwks;
    });
    afterAll(async () => {
      await h?.close?.();
    });

    function makeLog(clock = steppingClock()): AuditLog<Tx> {
      return createAuditLog({ store: h.store, signer, logName: 'audit.acme.example', now: clock.now, randomBytes: fakeRandom() });
    }

    async function verified(log: AuditLog<Tx>, t: string, opts: Parameters<AuditLog<Tx>['exportCsv']>[1] = {}) {
      const report = await verifyExport(await readAll(log.exportCsv(t, opts)), { keys: jwks });
      expect(report, report.message ?? undefined).toMatchObject({ ok: true });
      return report;
    }

    it('declares the capabilities it was registered with', () => {
      expect(h.store.capabilities).toEqual(capabilities);
      if (capabilities.callerTransactions) {
        expect(h.transaction).toBeTypeOf('function');
        expect(h.another).toBeTypeOf('function');
      }
      if (capabilities.databaseEnforcedAppendOnly) expect(h.owner).toBeTypeOf('function');
    });

    it('an unknown tenant is empty', async () => {
      const t = tenant('empty');
      expect(await h.store.head(t)).toEqual({ size: 0, chainHead: GENESIS_HASH, frontier: { size: 0, nodes: [] }, lastRecordedAt: null });
      expect(await collect(h.store.entries(t, 1, 100))).toEqual([]);
      expect(await collect(h.store.leafHashes(t, 1, 100))).toEqual([]);
      expect(await h.store.seqRangeForTime(t, null, null)).toBeNull();
      expect(await h.store.latestCheckpoint(t)).toBeNull();
      expect(await h.store.checkpointCovering(t, 0)).toBeNull();
      expect(await h.store.prunedPrefix(t)).toBeNull();
      expect(await h.store.retention(t)).toEqual({ retentionDays: null, legalHold: false });
      expect(await h.store.lastSeqBefore(t, '2100-01-01T00:00:00.000Z')).toBe(0);
    });

    it('append assigns gapless seqs, chains hashes and moves the head with its frontier', async () => {
      const t = tenant('append');
      const log = makeLog();
      const records: AuditRecord[] = [];
      for (let i = 0; i < 13; i++) records.push(await log.append(sampleEntry(i, t)));
      expect(records.map((r) => r.seq)).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
      records.forEach((r, i) => expect(r.prev_hash).toBe(i === 0 ? GENESIS_HASH : records[i - 1]!.hash));
      const head = await h.store.head(t);
      const tree = createTreeBuilder();
      for (const r of records) tree.append(fromHex(r.hash)!);
      expect(head.size).toBe(13);
      expect(head.chainHead).toBe(records[12]!.hash);
      expect(head.lastRecordedAt).toBe(records[12]!.recorded_at);
      expect(head.frontier.size).toBe(13);
      expect(head.frontier.nodes.map(toHex)).toEqual(tree.compactRange().nodes.map(toHex));
      expect(toHex(createTreeBuilder(head.frontier).root())).toBe(toHex(tree.root()));
    });

    it('appendMany keeps input order across tenants and gives each tenant its own gapless chain', async () => {
      const [a, b, c] = [tenant('many-a'), tenant('many-b'), tenant('many-c')];
      const log = makeLog();
      await log.append(sampleEntry(0, b));
      const inputs = Array.from({ length: 30 }, (_, i) => sampleEntry(i, [a, b, c][i % 3]));
      const records = await log.appendMany(inputs);
      expect(records.map((r) => r.tenant)).toEqual(inputs.map((i) => i.tenant));
      expect(records.map((r) => r.metadata.n)).toEqual(inputs.map((_, i) => i));
      for (const [t, first] of [[a, 1], [b, 2], [c, 1]] as const) {
        const mine = records.filter((r) => r.tenant === t);
        expect(mine.map((r) => r.seq)).toEqual(Array.from({ length: 10 }, (_, i) => i + first));
        expect((await h.store.head(t)).size).toBe(first + 9);
        const stored = await collect(h.store.entries(t, 1, 1_000));
        for (let i = 1; i < stored.length; i++) expect(stored[i]!.record.prev_hash).toBe(stored[i - 1]!.record.hash);
        await verified(log, t);
      }
    });

    it('a large appendMany spans several insert batches and pages', async () => {
      const t = tenant('bulk');
      const log = makeLog();
      const records = await log.appendMany(Array.from({ length: 2_345 }, (_, i) => sampleEntry(i, t)));
      expect(records.at(-1)!.seq).toBe(2_345);
      const hashes = await collect(h.store.leafHashes(t, 1, 2_345));
      expect(hashes.map(toHex)).toEqual(records.map((r) => r.hash));
      expect((await collect(h.store.entries(t, 1_000, 2_100))).map((e) => e.record.seq)).toEqual(Array.from({ length: 1_101 }, (_, i) => i + 1_000));
      const report = await verified(log, t);
      expect(report.rows).toBe(2_345);
    });

    it('entries and leafHashes stream exactly the requested inclusive range, in order', async () => {
      const t = tenant('ranges');
      const log = makeLog();
      const records = await log.appendMany(Array.from({ length: 40 }, (_, i) => sampleEntry(i, t)));
      for (const [from, to] of [[1, 40], [3, 17], [5, 5], [0, 100], [39, 45], [41, 50], [10, 9], [-5, 2]] as const) {
        const want = records.filter((r) => r.seq >= from && r.seq <= to);
        const got = await collect(h.store.entries(t, from, to));
        expect(got.map((e) => e.record.seq), `${from}..${to}`).toEqual(want.map((r) => r.seq));
        const leaves = await collect(h.store.leafHashes(t, from, to));
        expect(leaves.map(toHex), `${from}..${to}`).toEqual(want.map((r) => r.hash));
        leaves.forEach((l) => expect(l).toBeInstanceOf(Uint8Array));
      }
    });

    it('round-trips every record and disclosure exactly, optional fields absent or present', async () => {
      const t = tenant('exact');
      const log = makeLog();
      const inputs: EntryInput[] = [
        { tenant: t, action: 'bare.minimum', outcome: 'success', actor: { type: 'system', id: 'cron' } },
        {
          tenant: t,
          action: 'everything.set',
          outcome: 'failure',
          occurredAt: '0001-01-01T00:00:00.000Z',
          actor: { type: 'user', id: 'u_😀', display: 'Zoë "Z" O\'Brien', email: 'zoe@example.com' },
          target: { type: 'doc', id: 'd_1', display: '=HYPERLINK("x") ✓' },
          context: { ip: '2001:db8::1', userAgent: 'curl/8 \\ back\\slash', requestId: 'req_1' },
          metadata: {
            nul: 'a\u0000b',
            nested: { z: [1, 2.5, 1e21, 1e-7, -9007199254740991, 0.1], a: null, t: true },
            unicode: '\u2028\u2029 💡 é',
            empty: '',
            secret: { card: 'x\u0000y', list: ['a'] },
          },
          erasableMetadata: ['secret'],
        },
        { tenant: t, action: 'target.only', outcome: 'denied', actor: { type: 'user', id: 'u_2' }, target: { type: 'doc', id: 'd_2' } },
        { tenant: t, action: 'context.partial', outcome: 'success', actor: { type: 'user', id: 'u_3' }, context: { requestId: 'req_3' } },
        { tenant: t, action: 'meta.only', outcome: 'success', actor: { type: 'user', id: 'u_4' }, metadata: { k: 'v' } },
      ];
      const appended: AuditRecord[] = [];
      for (const input of inputs) appended.push(await log.append(input));
      const stored = await collect(h.store.entries(t, 1, 10));
      expect(stored.map((e) => e.record)).toEqual(appended);
      for (const [i, e] of stored.entries()) {
        const r = e.record as unknown as Record<string, unknown>;
        for (const k of ['target_type', 'target_id', 'request_id']) expect(k in r && r[k] !== undefined, `${i}.${k}`).toBe(appended[i]![k as keyof AuditRecord] !== undefined);
      }
      const rich = stored[1]!;
      expect(rich.disclosures['metadata.secret']!.value).toEqual({ card: 'x\u0000y', list: ['a'] });
      expect(Object.keys(rich.disclosures).sort()).toEqual(['actor_display', 'actor_email', 'ip', 'metadata.secret', 'target_display', 'user_agent']);
      expect(rich.record.metadata.nul).toBe('a\u0000b');
      expect(stored[0]!.disclosures).toEqual({});
      const report = await verified(log, t);
      expect(report).toMatchObject({ rows: 5, erasedFields: 0 });
    });

    it('round-trips identifiers a row encoding could trip on (quotes, braces, commas, "NULL", backslashes), alone and in batches', async () => {
      const t = tenant('tricky');
      const log = makeLog();
      // `\N` is NULL to COPY's text format unless the backslash is escaped; `\.` ends its data.
      const awkward = ['NULL', 'null', '{a,b}', 'a,"b"\\c', ' spaced ', '\\', '"', '}{', "it's", 'ünï 😀', '\\N', '\\.', 'a\\tb', '\\x41'];
      const input = (i: number): EntryInput => {
        const s = awkward[i % awkward.length]!;
        return {
          tenant: t,
          action: 'tricky.ids',
          outcome: 'success',
          actor: { type: s, id: s, display: s },
          target: { type: s, id: `${s}#${i}`, display: s },
          context: { requestId: s, ip: '192.0.2.1', userAgent: s },
          metadata: { s, [s]: [s, null], controls: '\t\n\r\u0000\\' },
        };
      };
      const appended: AuditRecord[] = [];
      for (let i = 0; i < awkward.length; i++) appended.push(await log.append(input(i)));
      // Large enough to go in several statements on stores that split batches.
      appended.push(...(await log.appendMany(Array.from({ length: 600 }, (_, i) => input(i)))));
      const stored = await collect(h.store.entries(t, 1, appended.length));
      expect(stored.map((e) => e.record)).toEqual(appended);
      for (const [i, e] of stored.entries()) {
        const s = awkward[(i < awkward.length ? i : i - awkward.length) % awkward.length]!;
        expect(e.disclosures['actor_display']!.value, `row ${i}`).toBe(s);
        expect(e.disclosures['target_display']!.value, `row ${i}`).toBe(s);
      }
      expect(await verified(log, t)).toMatchObject({ rows: appended.length, erasedFields: 0 });
    });

    it('maps recorded_at time ranges to seq ranges and finds the last seq before a cut-off', async () => {
      const t = tenant('time');
      const clock = steppingClock('2026-04-01T00:00:00.000Z');
      const log = makeLog(clock);
      const records: AuditRecord[] = [];
      for (let i = 0; i < 6; i++) records.push(await log.append(sampleEntry(i, t)));
      const at = (i: number) => records[i]!.recorded_at;
      expect(await h.store.seqRangeForTime(t, null, null)).toEqual({ first: 1, last: 6 });
      expect(await h.store.seqRangeForTime(t, at(1), at(4))).toEqual({ first: 2, last: 4 });
      expect(await h.store.seqRangeForTime(t, at(5), null)).toEqual({ first: 6, last: 6 });
      expect(await h.store.seqRangeForTime(t, null, at(0))).toBeNull();
      expect(await h.store.seqRangeForTime(t, '2030-01-01T00:00:00.000Z', null)).toBeNull();
      expect(await h.store.lastSeqBefore(t, at(3))).toBe(3);
      expect(await h.store.lastSeqBefore(t, at(0))).toBe(0);
      const report = await verified(log, t, { fromTime: at(2), toTime: at(5) });
      expect(report).toMatchObject({ rows: 3, firstSeq: 3, lastSeq: 5 });
    });

    it('stores checkpoints and finds the newest and the smallest covering one', async () => {
      const t = tenant('checkpoints');
      const log = makeLog();
      for (let i = 0; i < 3; i++) await log.append(sampleEntry(i, t));
      const c3 = await log.checkpoint(t);
      expect(await log.checkpoint(t)).toEqual(c3);
      for (let i = 3; i < 7; i++) await log.append(sampleEntry(i, t));
      const c7 = await log.checkpoint(t);
      expect(c7.checkpoint.previous).toEqual({ size: 3, root: c3.checkpoint.root });
      expect(await h.store.latestCheckpoint(t)).toEqual(c7);
      expect(await h.store.checkpointCovering(t, 0)).toEqual(c3);
      expect(await h.store.checkpointCovering(t, 3)).toEqual(c3);
      expect(await h.store.checkpointCovering(t, 4)).toEqual(c7);
      expect(await h.store.checkpointCovering(t, 8)).toBeNull();
      const receipt = await log.receipt(t, 2);
      expect(receipt.checkpoint).toEqual(c7);
      expect(verifyInclusion(1, 7, fromHex(receipt.hash)!, receipt.proof.map((p) => fromHex(p)!), fromHex(c7.checkpoint.root)!)).toBe(true);
      const proof = (await log.consistency(t, 3, 7)).map((p) => fromHex(p)!);
      expect(verifyConsistency(3, 7, fromHex(c3.checkpoint.root)!, fromHex(c7.checkpoint.root)!, proof)).toBe(true);
    });

    it('erasure removes a person’s disclosures, counts them, and the export still verifies', async () => {
      const t = tenant('erase');
      const other = tenant('erase-other');
      const log = makeLog();
      await log.appendMany([...Array.from({ length: 9 }, (_, i) => sampleEntry(i, t)), ...Array.from({ length: 3 }, (_, i) => sampleEntry(i, other))]);
      const before = await collect(h.store.entries(t, 1, 9));
      const expected = before
        .filter((e) => e.record.actor_id === 'u_1')
        .reduce((n, e) => n + Object.keys(e.disclosures).filter((f) => f !== 'target_display').length, 0);
      const res = await log.erase(t, { type: 'user', id: 'u_1' });
      expect(res).toMatchObject({ fields: expected, entries: 3 });
      expect(res.record).toMatchObject({ seq: 10, action: 'privacy.erasure', metadata: { fields_erased: expected, entries_affected: 3 } });
      const after = await collect(h.store.entries(t, 1, 10));
      for (const e of after) {
        if (e.record.actor_id === 'u_1') expect(Object.keys(e.disclosures).every((f) => f === 'target_display')).toBe(true);
        else expect(e.disclosures).toEqual(before.find((b) => b.record.seq === e.record.seq)?.disclosures ?? {});
      }
      const csv = await readAll(log.exportCsv(t));
      expect(csv).not.toContain('p1@example.com');
      expect(await verifyExport(csv, { keys: jwks })).toMatchObject({ ok: true, rows: 10, erasedFields: expected });
      expect((await log.erase(t, { type: 'user', id: 'u_1' })).fields).toBe(0);
      // the same person in another tenant is untouched
      const untouched = await collect(h.store.entries(other, 1, 3));
      expect(untouched.find((e) => e.record.actor_id === 'u_1')!.disclosures.actor_email).toBeDefined();
    });

    it('retention prunes the old prefix, records it, and what remains still verifies', async () => {
      const t = tenant('prune');
      const clock = steppingClock();
      const log = makeLog(clock);
      for (let i = 0; i < 10; i++) await log.append(sampleEntry(i, t));
      const c10 = await log.checkpoint(t);
      clock.advance(40 * DAY);
      for (let i = 10; i < 15; i++) await log.append(sampleEntry(i, t));
      // Recorded as seq 16 (retention.policy_changed).
      await log.setRetention(t, { retentionDays: 30, legalHold: false });
      expect(await h.store.retention(t)).toEqual({ retentionDays: 30, legalHold: false });

      const res = await log.applyRetention(t);
      expect(res.pruned).toBe(10);
      expect(res.record).toMatchObject({ seq: 17, action: 'retention.pruned', metadata: { pruned_through_seq: 10, chain_head: c10.checkpoint.chain_head } });
      const prefix = await h.store.prunedPrefix(t);
      expect(prefix).toMatchObject({ size: 10, chainHead: c10.checkpoint.chain_head });
      expect(toHex(createTreeBuilder(prefix!.compactRange).root())).toBe(c10.checkpoint.root);
      expect((await collect(h.store.entries(t, 1, 100))).map((e) => e.record.seq)).toEqual([11, 12, 13, 14, 15, 16, 17]);
      expect(await collect(h.store.leafHashes(t, 1, 10))).toEqual([]);
      expect((await h.store.latestCheckpoint(t))!.checkpoint.size).toBe(16);

      const report = await verified(log, t);
      expect(report).toMatchObject({ rows: 7, firstSeq: 11, lastSeq: 17 });
      await verified(log, t, { fromSeq: 12, toSeq: 13 });
      const receipt = await log.receipt(t, 12);
      expect(verifyInclusion(11, receipt.checkpoint.checkpoint.size, fromHex(receipt.hash)!, receipt.proof.map((p) => fromHex(p)!), fromHex(receipt.checkpoint.checkpoint.root)!)).toBe(true);
      const c17 = await log.checkpoint(t);
      const proof = (await log.consistency(t, 10, 17)).map((p) => fromHex(p)!);
      expect(verifyConsistency(10, 17, fromHex(c10.checkpoint.root)!, fromHex(c17.checkpoint.root)!, proof)).toBe(true);
      expect(await log.applyRetention(t)).toEqual({ pruned: 0, record: null });
    });

    it('a legal hold stops pruning until it is lifted', async () => {
      const t = tenant('hold');
      const clock = steppingClock();
      const log = makeLog(clock);
      for (let i = 0; i < 4; i++) await log.append(sampleEntry(i, t));
      clock.advance(10 * DAY);
      await log.setRetention(t, { retentionDays: 1, legalHold: true });
      await expect(log.applyRetention(t)).rejects.toMatchObject({ code: 'ERR_AUDIT_LEGAL_HOLD' });
      expect(await h.store.prunedPrefix(t)).toBeNull();
      // Four entries and the hold's own retention.policy_changed record.
      expect((await collect(h.store.entries(t, 1, 10))).length).toBe(5);
      let lifter = log;
      if (capabilities.databaseEnforcedAppendOnly) {
        // The application role may set a hold but not lift it; the owner may.
        await expect(log.setRetention(t, { retentionDays: 1, legalHold: false })).rejects.toMatchObject({ code: 'ERR_AUDIT_LEGAL_HOLD' });
        expect(await h.store.retention(t)).toEqual({ retentionDays: 1, legalHold: true });
        expect((await h.store.head(t)).size).toBe(5);
        lifter = createAuditLog({ store: h.owner!(), signer, logName: 'audit.acme.example', now: clock.now, randomBytes: fakeRandom() });
      }
      const lifted = await lifter.setRetention(t, { retentionDays: 1, legalHold: false }, { actor: { type: 'user', id: 'u_counsel' } });
      expect(lifted.record).toMatchObject({ seq: 6, action: 'retention.policy_changed', actor_id: 'u_counsel', metadata: { legal_hold: false, previous_legal_hold: true } });
      // Entries 1-4 are ten days old; the hold (seq 5) and the lift (seq 6) were recorded today.
      expect((await log.applyRetention(t)).pruned).toBe(4);
      await verified(log, t);
    });

    it('records every retention policy change in the chain, and refuses a malformed policy', async () => {
      const t = tenant('policy');
      const log = makeLog();
      await log.append(sampleEntry(0, t));
      const set = await log.setRetention(t, { retentionDays: 365, legalHold: false });
      expect(set.record).toMatchObject({
        seq: 2,
        action: 'retention.policy_changed',
        outcome: 'success',
        actor_type: 'system',
        metadata: { retention_days: 365, legal_hold: false, previous_retention_days: null, previous_legal_hold: false },
      });
      expect(await log.setRetention(t, { retentionDays: 365, legalHold: false })).toEqual({ record: null });
      const hold = await log.setRetention(t, { retentionDays: 365, legalHold: true }, { actor: { type: 'user', id: 'u_counsel', display: 'Counsel' } });
      expect(hold.record).toMatchObject({ seq: 3, actor_id: 'u_counsel', metadata: { retention_days: 365, legal_hold: true, previous_retention_days: 365, previous_legal_hold: false } });
      for (const bad of [{ retentionDays: -1, legalHold: false }, { retentionDays: 1.5, legalHold: false }, { retentionDays: 36_501, legalHold: false }, { retentionDays: 30 }, { retentionDays: 30, legalHold: 'no' }, { retentionDays: 30, legalHold: false, extra: 1 }, null]) {
        await expect(log.setRetention(t, bad as never)).rejects.toMatchObject({ code: 'ERR_AUDIT_USAGE' });
      }
      expect(await h.store.retention(t)).toEqual({ retentionDays: 365, legalHold: true });
      expect((await h.store.head(t)).size).toBe(3);
      if (capabilities.callerTransactions) {
        await expect(
          h.transaction!(async (tx) => {
            await log.setRetention(t, { retentionDays: 30, legalHold: true }, { tx });
            throw new Error('rolled back');
          }),
        ).rejects.toThrow('rolled back');
        expect(await h.store.retention(t)).toEqual({ retentionDays: 365, legalHold: true });
        expect((await h.store.head(t)).size).toBe(3);
        // Two changes in one transaction: the second compares with the first, not with what was committed.
        await h.transaction!(async (tx) => {
          await log.setRetention(t, { retentionDays: 30, legalHold: true }, { tx });
          const back = await log.setRetention(t, { retentionDays: 365, legalHold: true }, { tx });
          expect(back.record).toMatchObject({ metadata: { retention_days: 365, previous_retention_days: 30 } });
        });
        expect(await h.store.retention(t)).toEqual({ retentionDays: 365, legalHold: true });
        expect((await h.store.head(t)).size).toBe(5);
      }
      expect((await verified(log, t)).rows).toBe(capabilities.callerTransactions ? 5 : 3);
    });

    it('a batch that fails part-way through sealing leaves nothing behind', async () => {
      const t = tenant('halfway');
      const log = makeLog();
      await log.append(sampleEntry(0, t));
      const head = await h.store.head(t);
      // Each sample entry draws six salts; the 40th draw falls in entry 7 of 12, after any
      // store that seals in parts has sent the first ones.
      const random = fakeRandom();
      let draws = 0;
      const failing = createAuditLog({
        store: h.store,
        signer,
        logName: 'audit.acme.example',
        now: steppingClock().now,
        randomBytes: (n) => {
          if (++draws === 40) throw new Error('entropy ran out');
          return random(n);
        },
      });
      await expect(failing.appendMany(Array.from({ length: 12 }, (_, i) => sampleEntry(i + 1, t)))).rejects.toThrow('entropy ran out');
      expect(await h.store.head(t)).toEqual(head);
      expect((await collect(h.store.entries(t, 1, 100))).map((e) => e.record.seq)).toEqual([1]);
      expect((await failing.appendMany(Array.from({ length: 12 }, (_, i) => sampleEntry(i + 1, t)))).map((r) => r.seq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 2));
      expect((await verified(log, t)).rows).toBe(13);
    });

    it('a failed lock callback leaves nothing behind', async () => {
      const t = tenant('abort');
      const log = makeLog();
      await log.append(sampleEntry(0, t));
      const head = await h.store.head(t);
      await expect(
        h.store.withTenantLock(t, undefined, async (locked) => {
          const sealed = sealEntry(parseEntryInput(sampleEntry(1, t)), { seq: 2, prevHash: head.chainHead, recordedAt: '2026-03-02T00:00:00.000Z', randomBytes: fakeRandom() });
          const tree = createTreeBuilder(head.frontier);
          tree.append(sealed.leafHash);
          await locked.insert([{ record: sealed.record, disclosures: sealed.disclosures, subjects: {} }], {
            size: 2,
            chainHead: sealed.record.hash,
            frontier: tree.compactRange(),
            lastRecordedAt: sealed.record.recorded_at,
          });
          await locked.eraseSubject({ type: 'user', id: 'u_0' });
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await h.store.head(t)).toEqual(head);
      const stored = await collect(h.store.entries(t, 1, 10));
      expect(stored.map((e) => e.record.seq)).toEqual([1]);
      expect(Object.keys(stored[0]!.disclosures).length).toBeGreaterThan(0);
      expect((await log.append(sampleEntry(2, t))).seq).toBe(2);
    });

    it('refuses an insert that does not continue the head', async () => {
      const t = tenant('out-of-order');
      const log = makeLog();
      const [r] = await log.appendMany([sampleEntry(0, t)]);
      const stored = (await collect(h.store.entries(t, 1, 1)))[0]!;
      await expect(
        h.store.withTenantLock(t, undefined, (locked) => locked.insert([{ ...stored, subjects: {} }], { ...locked.head, size: 2 })),
      ).rejects.toThrow();
      expect((await h.store.head(t)).chainHead).toBe(r!.hash);
    });

    if (capabilities.callerTransactions) it('applies retention inside a caller transaction (commits with it)', async () => {
      const t = tenant('prune-tx');
      const clock = steppingClock();
      const log = makeLog(clock);
      for (let i = 0; i < 6; i++) await log.append(sampleEntry(i, t));
      clock.advance(40 * DAY);
      await log.append(sampleEntry(6, t));
      await log.setRetention(t, { retentionDays: 30, legalHold: false });
      const res = await h.transaction!(async (tx) => log.applyRetention(t, { tx }));
      expect(res.pruned).toBe(6);
      expect((await h.store.prunedPrefix(t))?.size).toBe(6);
      await verified(log, t);
    });

    // Registered only for stores that declare caller transactions, so no store reports a skip.
    if (capabilities.callerTransactions) it('appends inside a caller transaction commit with it and vanish when it rolls back', async () => {
      const t = tenant('tx');
      const log = makeLog();
      await log.append(sampleEntry(0, t));
      const head = await h.store.head(t);
      await expect(
        h.transaction!(async (tx) => {
          await log.append(sampleEntry(1, t), { tx });
          await log.appendMany([sampleEntry(2, t), sampleEntry(3, t)], { tx });
          await log.checkpoint(t, { tx });
          await log.erase(t, { type: 'user', id: 'u_0' }, { tx });
          throw new Error('business change failed');
        }),
      ).rejects.toThrow('business change failed');
      expect(await h.store.head(t)).toEqual(head);
      expect((await collect(h.store.entries(t, 1, 10))).map((e) => e.record.seq)).toEqual([1]);
      expect(Object.keys((await collect(h.store.entries(t, 1, 1)))[0]!.disclosures).length).toBeGreaterThan(0);
      expect(await h.store.latestCheckpoint(t)).toBeNull();

      const committed = await h.transaction!(async (tx) => {
        const r = await log.append(sampleEntry(1, t), { tx });
        const cp = await log.checkpoint(t, { tx });
        return { r, cp };
      });
      expect(committed.r.seq).toBe(2);
      expect(await h.store.latestCheckpoint(t)).toEqual(committed.cp);
      await verified(log, t);
    });

    it('concurrent appends to one tenant still form one gapless chain', async () => {
      const t = tenant('race');
      const log = makeLog();
      const records = await Promise.all(Array.from({ length: 24 }, (_, i) => log.append(sampleEntry(i, t))));
      expect(records.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
      const stored = await collect(h.store.entries(t, 1, 100));
      for (let i = 1; i < stored.length; i++) expect(stored[i]!.record.prev_hash).toBe(stored[i - 1]!.record.hash);
      expect((await verified(log, t)).rows).toBe(24);
    });

    if (capabilities.callerTransactions) it('two stores over the same data keep one chain, whatever each remembers of the head', async () => {
      const t = tenant('twins');
      const a = makeLog();
      const b = createAuditLog({ store: h.another!(), signer, logName: 'audit.acme.example', now: steppingClock().now, randomBytes: fakeRandom() });
      await a.append(sampleEntry(0, t));
      await b.append(sampleEntry(1, t));
      // `a` last saw size 1.
      expect((await a.append(sampleEntry(2, t))).seq).toBe(3);
      // A rolled-back append leaves `a` knowing a head that never existed; `b` then fills that
      // size with a different entry, so `a`'s head has the right size and the wrong hash.
      await expect(
        h.transaction!(async (tx) => {
          await a.append(sampleEntry(3, t), { tx });
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      expect((await b.append(sampleEntry(4, t))).seq).toBe(4);
      expect((await a.append(sampleEntry(5, t))).seq).toBe(5);
      expect((await b.appendMany([sampleEntry(6, t), sampleEntry(7, t)])).map((r) => r.seq)).toEqual([6, 7]);
      expect((await a.appendMany([sampleEntry(8, t), sampleEntry(9, t)])).map((r) => r.seq)).toEqual([8, 9]);
      const stored = await collect(h.store.entries(t, 1, 100));
      expect(stored.map((e) => e.record.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(stored.map((e) => e.record.request_id)).toEqual([0, 1, 2, 4, 5, 6, 7, 8, 9].map((i) => `req_${i}`));
      expect((await verified(b, t)).rows).toBe(9);
    });

    it('isolates tenants: no read for one tenant returns another tenant’s rows', async () => {
      const [a, b] = [tenant('iso-a'), tenant('iso-b')];
      const clock = steppingClock();
      const log = makeLog(clock);
      await log.appendMany(Array.from({ length: 8 }, (_, i) => sampleEntry(i, i % 2 ? a : b)));
      await log.checkpoint(b);
      await log.setRetention(b, { retentionDays: 5, legalHold: true });
      await log.erase(b, { type: 'user', id: 'u_0' });
      const only = (t: string, es: StoredEntry[]) => es.every((e) => e.record.tenant === t);
      const aEntries = await collect(h.store.entries(a, 1, 100));
      expect(aEntries.length).toBe(4);
      expect(only(a, aEntries)).toBe(true);
      expect(aEntries.every((e) => Object.keys(e.disclosures).length > 0)).toBe(true);
      expect((await collect(h.store.leafHashes(a, 1, 100))).map(toHex)).toEqual(aEntries.map((e) => e.record.hash));
      expect(await h.store.latestCheckpoint(a)).toBeNull();
      expect(await h.store.checkpointCovering(a, 0)).toBeNull();
      expect(await h.store.retention(a)).toEqual({ retentionDays: null, legalHold: false });
      expect(await h.store.seqRangeForTime(a, null, null)).toEqual({ first: 1, last: 4 });
      expect((await h.store.head(a)).size).toBe(4);
      // b: four entries, the retention.policy_changed and privacy.erasure records.
      expect((await h.store.head(b)).size).toBe(6);
      expect(only(b, await collect(h.store.entries(b, 1, 100)))).toBe(true);
      expect(await h.store.prunedPrefix(a)).toBeNull();
      await verified(log, a);
      await verified(log, b);
    });
  });
}
