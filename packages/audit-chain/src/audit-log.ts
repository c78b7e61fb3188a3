/**
 * `createAuditLog`: sequencing, hashing, checkpoints, export, erasure and retention over any
 * `AuditStore`. The store only stores; everything that decides a hash happens here, once.
 */
import { z } from 'zod';
import { toHex } from './bytes.js';
import { CHECKPOINT_TYPE, signCheckpoint, type SignedCheckpoint } from './checkpoint.js';
import { AuditChainError } from './errors.js';
import { parseEntryInput, type EntryInput, type ParsedEntry } from './entry-input.js';
import {
  consistencyProof,
  createTreeBuilder,
  inclusionProof,
  streamingHashSource,
  type CompactRange,
  type SubtreeHashSource,
} from './merkle.js';
import { GENESIS_HASH, sealEntryWithText, type AuditRecord } from './record.js';
import type { Signer } from './signer.js';
import { createRandomPool } from './random-pool.js';
import { textStream } from './text-stream.js';
import type { AuditStore, LockedTenant, NewEntry, PrunedPrefix, RetentionPolicy, Sealer, TenantHead } from './store/types.js';
import { BOM, CSV_HEADER_LINE } from './csv/format.js';
import { entryRow } from './csv/to-csv.js';
import { checkpointRecord, exportDescriptor, exportRecord } from './csv/export-records.js';

/** Options for `createAuditLog`. */
export interface AuditLogOptions<Tx> {
  readonly store: AuditStore<Tx>;
  /** Signs checkpoints. Without one, the log can append but not checkpoint or export. */
  readonly signer?: Signer | undefined;
  /**
   * The log's name, a schema-less URL such as `audit.acme.example`. Each tenant's origin is
   * `<logName>/<encodeURIComponent(tenant)>` and must never be reused for another log.
   */
  readonly logName: string;
  /** Injected clock (default `() => new Date()`). */
  readonly now?: () => Date;
  /** Injected randomness for salts (default `crypto.getRandomValues`). */
  readonly randomBytes?: (n: number) => Uint8Array;
}

/** Per-call options for writes. */
export interface WriteOptions<Tx> {
  /** Join the caller's transaction (Postgres: the client that ran BEGIN). */
  readonly tx?: Tx;
}

/** Which entries to export. Seq bounds are inclusive; time bounds are `recorded_at` in [from, to). */
export interface ExportOptions {
  readonly fromSeq?: number;
  readonly toSeq?: number;
  readonly fromTime?: string | Date;
  readonly toTime?: string | Date;
  /** Write a UTF-8 BOM so Excel detects the encoding (declared in the export row). */
  readonly bom?: boolean;
}

/** An inclusion receipt for one entry (SPEC.md §6). */
export interface Receipt {
  readonly seq: number;
  readonly hash: string;
  readonly checkpoint: SignedCheckpoint;
  /** RFC 9162 inclusion path from leaf `seq - 1` to the checkpoint root, hex. */
  readonly proof: readonly string[];
}

/** The audit log API returned by `createAuditLog`. */
export interface AuditLog<Tx> {
  /** The origin (log identity) of a tenant's log. */
  origin(tenant: string): string;
  /** Appends one entry, inside `options.tx` if given. */
  append(input: EntryInput, options?: WriteOptions<Tx>): Promise<AuditRecord>;
  /**
   * Appends a batch in one transaction per tenant (inside `options.tx` if given), locking tenants
   * in sorted order; a store may insert a large batch in several statements.
   */
  appendMany(inputs: readonly EntryInput[], options?: WriteOptions<Tx>): Promise<AuditRecord[]>;
  /** Signs and stores a checkpoint of the tenant's current head. */
  checkpoint(tenant: string, options?: WriteOptions<Tx>): Promise<SignedCheckpoint>;
  /** The newest stored checkpoint, or null. */
  latestCheckpoint(tenant: string): Promise<SignedCheckpoint | null>;
  /** Streams a `stela.audit/csv/v1` export in constant memory. */
  exportCsv(tenant: string, options?: ExportOptions): ReadableStream<Uint8Array>;
  /** An inclusion receipt for entry `seq` against the newest checkpoint covering it. */
  receipt(tenant: string, seq: number): Promise<Receipt>;
  /** RFC 9162 consistency proof (hex) between two tree sizes. */
  consistency(tenant: string, first: number, second: number): Promise<string[]>;
  /** Deletes a person's erasable values (the chain still verifies) and appends `privacy.erasure`. */
  erase(tenant: string, subject: { type: string; id: string }, options?: WriteOptions<Tx> & { actor?: EntryInput['actor'] }): Promise<{ fields: number; entries: number; record: AuditRecord }>;
  /**
   * Sets the retention policy (days to keep; legal hold) and appends a `retention.policy_changed`
   * entry recording the old and new policy, in one transaction. Setting the policy a tenant
   * already has changes nothing and returns `record: null`. On Postgres only the owner role may
   * lift a legal hold (`ERR_AUDIT_LEGAL_HOLD` for the application role); see docs/audit-chain/postgres.md.
   * @throws {AuditChainError} `ERR_AUDIT_USAGE` for a policy that is not `{ retentionDays: null | 0…36500, legalHold: boolean }`.
   */
  setRetention(tenant: string, policy: RetentionPolicy, options?: WriteOptions<Tx> & { actor?: EntryInput['actor'] }): Promise<{ record: AuditRecord | null }>;
  /** Prunes entries older than the retention cut-off and appends `retention.pruned`; returns how many went. */
  applyRetention(tenant: string, options?: WriteOptions<Tx>): Promise<{ pruned: number; record: AuditRecord | null }>;
}

const SYSTEM_ACTOR = { type: 'system', id: 'stela-audit' } as const;

const RetentionPolicySchema = z.strictObject({
  retentionDays: z.int().min(0).max(36_500).nullable(),
  legalHold: z.boolean(),
});

/**
 * Creates an audit log over a store.
 * @example
 * const log = createAuditLog({ store: createMemoryStore(), signer, logName: 'audit.acme.example' });
 * await log.append({ tenant: 'org_1', action: 'member.invited', outcome: 'success', actor: { type: 'user', id: 'u_1' } });
 */
export function createAuditLog<Tx>(options: AuditLogOptions<Tx>): AuditLog<Tx> {
  const { store, signer, logName } = options;
  const now = options.now ?? (() => new Date());
  const randomBytes = options.randomBytes ?? createRandomPool();
  if (!/^[^\s+]+$/.test(logName)) {
    throw new AuditChainError('ERR_AUDIT_INVALID_ENTRY', 'logName must be a schema-less URL without spaces or "+", e.g. "audit.acme.example"');
  }
  const origin = (tenant: string) => `${logName}/${encodeURIComponent(tenant)}`;

  /** Seals `entries` on top of `head`, one part at a time. */
  function createSealer(head: TenantHead, entries: readonly ParsedEntry[]): Sealer<AuditRecord[]> {
    const tree = createTreeBuilder(head.frontier);
    let prev = head.chainHead;
    let seq = head.size;
    // recorded_at never goes backwards within a tenant, so time-range exports are seq ranges.
    let clock = now().toISOString();
    if (head.lastRecordedAt !== null && clock < head.lastRecordedAt) clock = head.lastRecordedAt;
    const records: AuditRecord[] = [];
    let at = 0;
    return {
      count: entries.length,
      next(max) {
        const rows: NewEntry[] = [];
        for (const end = Math.min(entries.length, at + max); at < end; at++) {
          const e = entries[at]!;
          const sealed = sealEntryWithText(e, { seq: ++seq, prevHash: prev, recordedAt: clock, randomBytes });
          tree.append(sealed.leafHash);
          prev = sealed.record.hash;
          const subjects: Record<string, { type: string; id: string }> = {};
          const actor = { type: e.actor.type, id: e.actor.id };
          for (const field of Object.keys(sealed.disclosures)) {
            subjects[field] = field === 'target_display' && e.target ? { type: e.target.type, id: e.target.id } : actor;
          }
          rows.push({ record: sealed.record, disclosures: sealed.disclosures, subjects, metadataJson: sealed.metadataJson, commitmentsJson: sealed.commitmentsJson });
          records.push(sealed.record);
        }
        return rows;
      },
      finish() {
        if (at < entries.length) throw new AuditChainError('ERR_AUDIT_STORE', `the store finished a batch after sealing ${at} of its ${entries.length} entries`);
        return { head: { size: seq, chainHead: prev, frontier: tree.compactRange(), lastRecordedAt: clock }, result: records };
      },
    };
  }

  function sealBatch(head: TenantHead, entries: readonly ParsedEntry[]): { rows: readonly NewEntry[]; records: AuditRecord[]; head: TenantHead } {
    const sealer = createSealer(head, entries);
    const rows = sealer.next(entries.length);
    const { head: after, result } = sealer.finish();
    return { rows, records: result, head: after };
  }

  /** Appends one entry the log writes itself (erasure, retention) while the tenant is locked. */
  async function appendLocked(locked: LockedTenant, input: EntryInput): Promise<AuditRecord> {
    const batch = sealBatch(locked.head, [parseEntryInput(input)]);
    await locked.insert(batch.rows, batch.head);
    return batch.records[0]!;
  }

  async function appendParsed(tenant: string, entries: readonly ParsedEntry[], tx: Tx | undefined): Promise<AuditRecord[]> {
    if (store.append) return store.append(tenant, tx, (head) => createSealer(head, entries));
    return store.withTenantLock(tenant, tx, async (locked) => {
      const batch = sealBatch(locked.head, entries);
      await locked.insert(batch.rows, batch.head);
      return batch.records;
    });
  }

  function requireSigner(): Signer {
    if (!signer) throw new AuditChainError('ERR_AUDIT_SIGNER', 'this audit log has no signer: pass `signer` to createAuditLog to issue checkpoints');
    return signer;
  }

  async function issueCheckpoint(tenant: string, head: TenantHead, previous: SignedCheckpoint | null): Promise<SignedCheckpoint> {
    const s = requireSigner();
    const tree = createTreeBuilder(head.frontier);
    return signCheckpoint(
      {
        '@type': CHECKPOINT_TYPE,
        origin: origin(tenant),
        tenant,
        size: head.size,
        root: toHex(tree.root()),
        chain_head: head.chainHead,
        issued_at: now().toISOString(),
        previous: previous ? { size: previous.checkpoint.size, root: previous.checkpoint.root } : null,
      },
      s,
    );
  }

  async function hashSource(tenant: string): Promise<SubtreeHashSource> {
    const pruned = await store.prunedPrefix(tenant);
    return streamingHashSource({
      leaves: (start, end) => store.leafHashes(tenant, start + 1, end),
      ...(pruned ? { pruned: pruned.compactRange } : {}),
    });
  }

  /** Compact range and chain head of [0, size), resuming from the pruned prefix. */
  async function prefixAt(tenant: string, size: number): Promise<{ range: CompactRange; chainHead: string }> {
    const pruned = await store.prunedPrefix(tenant);
    const base = pruned && pruned.size <= size ? pruned : null;
    const tree = createTreeBuilder(base?.compactRange);
    let chainHead = base?.chainHead ?? GENESIS_HASH;
    for await (const h of store.leafHashes(tenant, (base?.size ?? 0) + 1, size)) {
      tree.append(h);
      chainHead = toHex(h);
    }
    if (tree.size !== size) throw new AuditChainError('ERR_AUDIT_STORE', `could not rebuild the tree prefix of size ${size} (got ${tree.size})`);
    return { range: tree.compactRange(), chainHead };
  }

  async function checkpointFor(tenant: string, size: number): Promise<SignedCheckpoint> {
    const latest = await store.latestCheckpoint(tenant);
    if (latest && latest.checkpoint.size >= size) return latest;
    return log.checkpoint(tenant);
  }

  const log: AuditLog<Tx> = {
    origin,

    async append(input, opts) {
      const parsed = parseEntryInput(input);
      const [record] = await appendParsed(parsed.tenant, [parsed], opts?.tx);
      return record!;
    },

    async appendMany(inputs, opts) {
      const parsed = inputs.map((i) => parseEntryInput(i));
      const byTenant = new Map<string, ParsedEntry[]>();
      for (const p of parsed) {
        const group = byTenant.get(p.tenant);
        if (group) group.push(p);
        else byTenant.set(p.tenant, [p]);
      }
      const out = new Map<ParsedEntry, AuditRecord>();
      // Lock tenants in a fixed order so two concurrent multi-tenant batches cannot deadlock.
      for (const tenant of [...byTenant.keys()].sort()) {
        const group = byTenant.get(tenant)!;
        const records = await appendParsed(tenant, group, opts?.tx);
        group.forEach((p, i) => out.set(p, records[i]!));
      }
      return parsed.map((p) => out.get(p)!);
    },

    async checkpoint(tenant, opts) {
      requireSigner();
      return store.withTenantLock(tenant, opts?.tx, async (locked) => {
        const previous = await store.latestCheckpoint(tenant);
        if (previous && previous.checkpoint.size === locked.head.size) return previous;
        const cp = await issueCheckpoint(tenant, locked.head, previous);
        await locked.saveCheckpoint(cp);
        return cp;
      });
    },

    latestCheckpoint: (tenant) => store.latestCheckpoint(tenant),

    exportCsv(tenant, opts = {}) {
      async function* generate(): AsyncGenerator<string> {
        const head = await store.head(tenant);
        const pruned = await store.prunedPrefix(tenant);
        let first = Math.max(opts.fromSeq ?? 1, (pruned?.size ?? 0) + 1);
        let last = Math.min(opts.toSeq ?? head.size, head.size);
        if (opts.fromTime !== undefined || opts.toTime !== undefined) {
          const iso = (t: string | Date | undefined) => (t === undefined ? null : new Date(t).toISOString());
          const range = await store.seqRangeForTime(tenant, iso(opts.fromTime), iso(opts.toTime));
          if (range) {
            first = Math.max(first, range.first);
            last = Math.min(last, range.last);
          } else {
            last = first - 1;
          }
        }
        if (last < first - 1) last = first - 1;
        const cp = await checkpointFor(tenant, last);
        const prefix = await prefixAt(tenant, first - 1);
        const proof = await consistencyProof(last, cp.checkpoint.size, await hashSource(tenant));
        const descriptor = exportDescriptor({
          origin: origin(tenant),
          tenant,
          firstSeq: first,
          lastSeq: last,
          prefix,
          generatedAt: now().toISOString(),
          bom: opts.bom === true,
          filter: {
            from_seq: opts.fromSeq ?? null,
            to_seq: opts.toSeq ?? null,
            from_time: opts.fromTime === undefined ? null : new Date(opts.fromTime).toISOString(),
            to_time: opts.toTime === undefined ? null : new Date(opts.toTime).toISOString(),
          },
        });
        let chunk = (opts.bom ? BOM : '') + CSV_HEADER_LINE + exportRecord(descriptor);
        for await (const e of store.entries(tenant, first, last)) {
          chunk += entryRow(e.record, e.disclosures);
          if (chunk.length > 65_536) {
            yield chunk;
            chunk = '';
          }
        }
        chunk += await checkpointRecord(descriptor, cp, proof, requireSigner());
        yield chunk;
      }
      return textStream(generate);
    },

    async receipt(tenant, seq) {
      const head = await store.head(tenant);
      if (!Number.isSafeInteger(seq) || seq < 1 || seq > head.size) throw new AuditChainError('ERR_AUDIT_NOT_FOUND', `tenant has no entry ${seq}`);
      const cp = await checkpointFor(tenant, seq);
      let hash: string | undefined;
      for await (const h of store.leafHashes(tenant, seq, seq)) hash = toHex(h);
      if (!hash) throw new AuditChainError('ERR_AUDIT_NOT_FOUND', `entry ${seq} was pruned`);
      const proof = await inclusionProof(seq - 1, cp.checkpoint.size, await hashSource(tenant));
      return { seq, hash, checkpoint: cp, proof: proof.map(toHex) };
    },

    async consistency(tenant, first, second) {
      const proof = await consistencyProof(first, second, await hashSource(tenant));
      return proof.map(toHex);
    },

    async erase(tenant, subject, opts) {
      return store.withTenantLock(tenant, opts?.tx, async (locked) => {
        const result = await locked.eraseSubject(subject);
        const record = await appendLocked(locked, {
          tenant,
          action: 'privacy.erasure',
          outcome: 'success',
          actor: opts?.actor ?? SYSTEM_ACTOR,
          target: { type: subject.type, id: subject.id },
          metadata: { fields_erased: result.fields, entries_affected: result.entries },
        });
        return { ...result, record };
      });
    },

    async setRetention(tenant, policy, opts) {
      const parsed = RetentionPolicySchema.safeParse(policy);
      if (!parsed.success) {
        throw new AuditChainError('ERR_AUDIT_USAGE', `a retention policy is { retentionDays: null or a whole number of days from 0 to 36500, legalHold: true or false }: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'policy'}: ${i.message}`).join('; ')}`);
      }
      const next = parsed.data;
      return store.withTenantLock(tenant, opts?.tx, async (locked) => {
        const previous = await locked.retention();
        if (previous.retentionDays === next.retentionDays && previous.legalHold === next.legalHold) return { record: null };
        await locked.setRetention(next);
        const record = await appendLocked(locked, {
          tenant,
          action: 'retention.policy_changed',
          outcome: 'success',
          actor: opts?.actor ?? SYSTEM_ACTOR,
          metadata: {
            retention_days: next.retentionDays,
            legal_hold: next.legalHold,
            previous_retention_days: previous.retentionDays,
            previous_legal_hold: previous.legalHold,
          },
        });
        return { record };
      });
    },

    async applyRetention(tenant, opts) {
      // Every read happens under the tenant lock, inside the caller's transaction where there is
      // one: reading first and locking after would hang a single-connection store (PGlite) that
      // is inside a caller transaction, and could prune against a stale head.
      return store.withTenantLock(tenant, opts?.tx, async (locked) => {
        const policy = await locked.retention();
        if (policy.legalHold) throw new AuditChainError('ERR_AUDIT_LEGAL_HOLD', `tenant ${tenant} is under legal hold: nothing is pruned until the hold is lifted`);
        if (policy.retentionDays === null) return { pruned: 0, record: null };
        const cutoff = new Date(now().getTime() - policy.retentionDays * 86_400_000).toISOString();
        const upTo = await store.lastSeqBefore(tenant, cutoff);
        const already = (await store.prunedPrefix(tenant))?.size ?? 0;
        if (upTo <= already) return { pruned: 0, record: null };
        const prefix = await prefixAt(tenant, upTo);
        const p: PrunedPrefix = { size: upTo, chainHead: prefix.chainHead, compactRange: prefix.range };
        // Checkpoint first, so the pruned prefix stays covered by a signature made while it existed.
        if (signer) {
          const previous = await store.latestCheckpoint(tenant);
          if (!previous || previous.checkpoint.size !== locked.head.size) await locked.saveCheckpoint(await issueCheckpoint(tenant, locked.head, previous));
        }
        await locked.prune(p);
        const record = await appendLocked(locked, {
          tenant,
          action: 'retention.pruned',
          outcome: 'success',
          actor: SYSTEM_ACTOR,
          metadata: { pruned_through_seq: upTo, cutoff, retention_days: policy.retentionDays, chain_head: prefix.chainHead },
        });
        return { pruned: upTo - already, record };
      });
    },
  };
  return log;
}
