/**
 * The storage contract. A store is dumb, durable storage plus a per-tenant lock; all hashing and
 * sequencing live in `createAuditLog`, so every store behaves the same. Every store must pass
 * `test/store-conformance.ts`.
 */
import type { CompactRange } from '../merkle.js';
import type { AuditRecord, Disclosures } from '../record.js';
import type { SignedCheckpoint } from '../checkpoint.js';

/** The head of a tenant's log. `size` is the last seq (0 when empty). */
export interface TenantHead {
  readonly size: number;
  /** `hash` of entry `size`, or `GENESIS_HASH`. */
  readonly chainHead: string;
  /** Compact range of leaf hashes [0, size). */
  readonly frontier: CompactRange;
  /** `recorded_at` of entry `size`; appends never go back in time. */
  readonly lastRecordedAt: string | null;
}

/** One entry to insert. */
export interface NewEntry {
  readonly record: AuditRecord;
  readonly disclosures: Disclosures;
  /** Who each disclosure belongs to, so erasure by person can find it. */
  readonly subjects: Readonly<Record<string, { type: string; id: string }>>;
  /**
   * JSON texts of `record.metadata` and `record.commitments` when the sealer has them (sealing
   * computes their JCS to hash the entry); a store may write these instead of serialising the
   * objects again.
   */
  readonly metadataJson?: string | undefined;
  readonly commitmentsJson?: string | undefined;
}

/** A stored entry as read back. */
export interface StoredEntry {
  readonly record: AuditRecord;
  readonly disclosures: Disclosures;
}

/** What was pruned from the front of a tenant's log, kept so the rest still verifies. */
export interface PrunedPrefix {
  /** Entries 1..size are gone. */
  readonly size: number;
  readonly chainHead: string;
  readonly compactRange: CompactRange;
}

/** Per-tenant retention settings. */
export interface RetentionPolicy {
  /** Entries recorded more than this many days ago may be pruned; null keeps everything. */
  readonly retentionDays: number | null;
  /** While true, nothing is pruned. */
  readonly legalHold: boolean;
}

/** Operations available while a tenant's head is locked. */
export interface LockedTenant {
  readonly head: TenantHead;
  /** Inserts entries (contiguous seqs after `head.size`) and moves the head, atomically with the lock's transaction. */
  insert(entries: readonly NewEntry[], newHead: TenantHead): Promise<void>;
  /** Deletes disclosures belonging to a subject; returns how many fields and entries lost data. */
  eraseSubject(subject: { type: string; id: string }): Promise<{ fields: number; entries: number }>;
  /** Deletes entries 1..prefix.size and records the prefix. */
  prune(prefix: PrunedPrefix): Promise<void>;
  /** Stores a checkpoint. */
  saveCheckpoint(cp: SignedCheckpoint): Promise<void>;
  /** The retention policy as this transaction sees it (including its own changes). */
  retention(): Promise<RetentionPolicy>;
  /** Sets the retention policy, atomically with the lock's transaction. */
  setRetention(policy: RetentionPolicy): Promise<void>;
}

/** Feature flags a store declares, so callers never branch on which store they have. */
export interface StoreCapabilities {
  /** Appends join a caller-supplied transaction (`tx`). */
  readonly callerTransactions: boolean;
  /** The database itself refuses UPDATE/DELETE/TRUNCATE on entries. */
  readonly databaseEnforcedAppendOnly: boolean;
}

/**
 * Seals a batch of entries one part at a time on top of a head: what `AuditStore.append`'s
 * `seal` callback returns. Sealing in parts lets a store send one part while the next is sealed.
 */
export interface Sealer<T> {
  /** How many entries the batch holds. */
  readonly count: number;
  /** Seals and returns the next `max` entries (fewer at the end; none once all are sealed). */
  next(max: number): readonly NewEntry[];
  /** Once every entry is sealed: the head after them, and what `append` hands back. */
  finish(): { readonly head: TenantHead; readonly result: T };
}

/**
 * A durable home for audit logs. `Tx` is the store's transaction handle (for Postgres, the
 * caller's client inside BEGIN); `undefined` means "use your own transaction".
 */
export interface AuditStore<Tx = unknown> {
  readonly capabilities: StoreCapabilities;
  /** Runs `fn` with the tenant's head locked against other writers, inside `tx` or a transaction of its own. */
  withTenantLock<T>(tenant: string, tx: Tx | undefined, fn: (locked: LockedTenant) => Promise<T>): Promise<T>;
  /**
   * Optional fast path for appending. `seal` starts sealing the batch on top of the head it is
   * given and must have no side effects, because the store may call it more than once: first
   * with a head it remembers, without waiting for the lock, and again with the locked head if the
   * remembered one turned out stale. Only the last sealing is stored. A store without this
   * method is driven through `withTenantLock` instead.
   */
  append?<T>(tenant: string, tx: Tx | undefined, seal: (head: TenantHead) => Sealer<T>): Promise<T>;
  /** Reads the head without locking. */
  head(tenant: string): Promise<TenantHead>;
  /** Streams entries with from <= seq <= to, in seq order, in bounded memory. */
  entries(tenant: string, from: number, to: number): AsyncIterable<StoredEntry>;
  /** Streams leaf hashes (raw 32 bytes) for from <= seq <= to, in order. */
  leafHashes(tenant: string, from: number, to: number): AsyncIterable<Uint8Array>;
  /** The first and last seq whose `recorded_at` lies in [from, to), or null if none. */
  seqRangeForTime(tenant: string, from: string | null, to: string | null): Promise<{ first: number; last: number } | null>;
  /** The newest checkpoint, if any. */
  latestCheckpoint(tenant: string): Promise<SignedCheckpoint | null>;
  /** The smallest checkpoint whose size is >= `size`, if any. */
  checkpointCovering(tenant: string, size: number): Promise<SignedCheckpoint | null>;
  /** The pruned prefix, if any. */
  prunedPrefix(tenant: string): Promise<PrunedPrefix | null>;
  /** The retention policy (default: keep everything, no hold). */
  retention(tenant: string): Promise<RetentionPolicy>;
  /** The last seq whose `recorded_at` is before `cutoff`, or 0. */
  lastSeqBefore(tenant: string, cutoff: string): Promise<number>;
}
