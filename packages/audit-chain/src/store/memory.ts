/**
 * An in-memory store for tests, demos and short-lived processes. Changes made under a lock are
 * staged and applied only if the callback succeeds, so a failed append leaves nothing behind.
 */
import { fromHex } from '../bytes.js';
import type { SignedCheckpoint } from '../checkpoint.js';
import { GENESIS_HASH } from '../record.js';
import type {
  AuditStore,
  LockedTenant,
  NewEntry,
  PrunedPrefix,
  RetentionPolicy,
  StoredEntry,
  TenantHead,
} from './types.js';

interface TenantState {
  head: TenantHead;
  entries: Map<number, NewEntry>;
  checkpoints: SignedCheckpoint[];
  pruned: PrunedPrefix | null;
  retention: RetentionPolicy;
  lock: Promise<void>;
}

const emptyHead = (): TenantHead => ({ size: 0, chainHead: GENESIS_HASH, frontier: { size: 0, nodes: [] }, lastRecordedAt: null });

/**
 * Creates an in-memory store.
 * @example const log = createAuditLog({ store: createMemoryStore(), signer, logName: 'audit.example.com' });
 */
export function createMemoryStore(): AuditStore<undefined> {
  const tenants = new Map<string, TenantState>();
  const state = (tenant: string): TenantState => {
    let s = tenants.get(tenant);
    if (!s) {
      s = { head: emptyHead(), entries: new Map(), checkpoints: [], pruned: null, retention: { retentionDays: null, legalHold: false }, lock: Promise.resolve() };
      tenants.set(tenant, s);
    }
    return s;
  };

  return {
    capabilities: { callerTransactions: false, databaseEnforcedAppendOnly: false },

    async withTenantLock(tenant, _tx, fn) {
      const s = state(tenant);
      let release!: () => void;
      const prev = s.lock;
      s.lock = new Promise((r) => (release = r));
      await prev;
      try {
        const staged: (() => void)[] = [];
        let head = s.head;
        let retention = s.retention;
        const locked: LockedTenant = {
          get head() {
            return head;
          },
          async insert(entries, newHead) {
            let expected = head.size + 1;
            for (const e of entries) {
              if (e.record.seq !== expected++ || s.entries.has(e.record.seq)) throw new Error(`seq ${e.record.seq} out of order`);
            }
            head = newHead;
            staged.push(() => {
              for (const e of entries) s.entries.set(e.record.seq, structuredClone({ record: e.record, disclosures: e.disclosures, subjects: e.subjects }));
              s.head = newHead;
            });
          },
          async eraseSubject(subject) {
            let fields = 0;
            let entries = 0;
            for (const e of s.entries.values()) {
              const hit = Object.entries(e.subjects).filter(([f, sub]) => sub.type === subject.type && sub.id === subject.id && f in e.disclosures);
              if (!hit.length) continue;
              fields += hit.length;
              entries++;
              staged.push(() => {
                const d: Record<string, unknown> = { ...e.disclosures };
                for (const [f] of hit) delete d[f];
                (e as { disclosures: unknown }).disclosures = d;
              });
            }
            return { fields, entries };
          },
          async prune(prefix) {
            staged.push(() => {
              for (let i = (s.pruned?.size ?? 0) + 1; i <= prefix.size; i++) s.entries.delete(i);
              s.pruned = prefix;
            });
          },
          async saveCheckpoint(cp) {
            staged.push(() => s.checkpoints.push(cp));
          },
          async retention() {
            return retention;
          },
          async setRetention(policy) {
            const next = { retentionDays: policy.retentionDays, legalHold: policy.legalHold };
            retention = next;
            staged.push(() => (s.retention = next));
          },
        };
        const out = await fn(locked);
        for (const apply of staged) apply();
        return out;
      } finally {
        release();
      }
    },

    async head(tenant) {
      return state(tenant).head;
    },

    async *entries(tenant, from, to): AsyncIterable<StoredEntry> {
      const s = state(tenant);
      for (let seq = Math.max(from, 1); seq <= Math.min(to, s.head.size); seq++) {
        const e = s.entries.get(seq);
        if (e) yield { record: e.record, disclosures: e.disclosures };
      }
    },

    async *leafHashes(tenant, from, to) {
      const s = state(tenant);
      for (let seq = Math.max(from, 1); seq <= Math.min(to, s.head.size); seq++) {
        const e = s.entries.get(seq);
        if (e) yield fromHex(e.record.hash)!;
      }
    },

    async seqRangeForTime(tenant, from, to) {
      let first = 0;
      let last = 0;
      for (const e of state(tenant).entries.values()) {
        const t = e.record.recorded_at;
        if ((from === null || t >= from) && (to === null || t < to)) {
          if (!first || e.record.seq < first) first = e.record.seq;
          if (e.record.seq > last) last = e.record.seq;
        }
      }
      return first ? { first, last } : null;
    },

    async latestCheckpoint(tenant) {
      return state(tenant).checkpoints.at(-1) ?? null;
    },

    async checkpointCovering(tenant, size) {
      return state(tenant).checkpoints.find((c) => c.checkpoint.size >= size) ?? null;
    },

    async prunedPrefix(tenant) {
      return state(tenant).pruned;
    },

    async retention(tenant) {
      return state(tenant).retention;
    },

    async lastSeqBefore(tenant, cutoff) {
      let last = 0;
      for (const e of state(tenant).entries.values()) if (e.record.recorded_at < cutoff && e.record.seq > last) last = e.record.seq;
      return last;
    },
  };
}
