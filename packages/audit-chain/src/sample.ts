/**
 * @module A realistic, reproducible sample audit log for a made-up SaaS skill-catalogue vendor:
 * for trying the verifier (`stela-audit sample`), demos and benchmarks. `sampleExport` writes a
 * signed `stela.audit/csv/v1` export of any size in constant memory; `writeSampleLog` appends
 * the same events to a real `createAuditLog` log.
 *
 * Every name, e-mail (example.com / example.org, RFC 2606) and IP address (203.0.113.0/24,
 * 198.51.100.0/24, 2001:db8::/32, RFC 5737 / RFC 3849) is made up or reserved for documentation.
 * Salts come from a seeded generator so that a seed always gives the same file: fine for samples,
 * never for real logs (salts must be unguessable, SPEC.md §5).
 */
import { toHex } from './bytes.js';
import { CHECKPOINT_TYPE, signCheckpoint } from './checkpoint.js';
import type { JsonValue } from './canonical-json.js';
import { BOM, CSV_HEADER_LINE } from './csv/format.js';
import { entryRow } from './csv/to-csv.js';
import { checkpointRecord, exportDescriptor, exportRecord } from './csv/export-records.js';
import type { EntryInput, ParsedEntry } from './entry-input.js';
import { AuditChainError } from './errors.js';
import { textStream } from './text-stream.js';
import { createTreeBuilder } from './merkle.js';
import { GENESIS_HASH, sealEntry, type Disclosure } from './record.js';
import type { Signer } from './signer.js';

/** What decides the content of a sample log. The same options always give the same events. */
export interface SampleLogOptions {
  /** Number of entries (rows), including the `privacy.erasure` entries the sample schedules. */
  readonly rows: number;
  /** Tenant id (default `org_acme`). */
  readonly tenant?: string;
  /** Seed for every random choice (default `1`). */
  readonly seed?: string | number;
  /** `recorded_at` of the first entry's time slot (default `2026-01-05T08:00:00.000Z`). */
  readonly start?: string;
  /** Average milliseconds between entries (default 3600: a million entries span about 42 days). */
  readonly gapMs?: number;
}

/** Options for `sampleExport`. */
export interface SampleExportOptions extends SampleLogOptions {
  /** Signs the checkpoint. */
  readonly signer: Signer;
  /** Log name, as `createAuditLog`'s `logName` (default `audit.skillhub.example`). */
  readonly logName?: string;
  /** Write a UTF-8 BOM (declared in the export row). */
  readonly bom?: boolean;
  /** Clock for `issued_at` and `generated_at` (default: five minutes after the last slot). */
  readonly now?: () => Date;
  /** Salt source (default: seeded from `seed`, so the file is reproducible). */
  readonly randomBytes?: (n: number) => Uint8Array;
}

/** One step of a sample log, in order. Each step appends exactly one entry. */
export type SampleEvent =
  | { readonly kind: 'entry'; readonly seq: number; readonly recordedAt: string; readonly entry: EntryInput }
  | {
      readonly kind: 'erasure';
      readonly seq: number;
      readonly recordedAt: string;
      readonly tenant: string;
      /** The person whose personal data is erased (`AuditLog.erase`). */
      readonly subject: { readonly type: string; readonly id: string };
      /** Who carried out the erasure request. */
      readonly actor: NonNullable<EntryInput['actor']>;
    };

/** The audit-log methods `writeSampleLog` uses (structural, so any store works). */
export interface SampleLogTarget {
  append(input: EntryInput): Promise<unknown>;
  erase(tenant: string, subject: { type: string; id: string }, options?: { actor?: EntryInput['actor'] }): Promise<unknown>;
}

type Subject = { type: string; id: string };

const DEFAULT_TENANT = 'org_acme';
const DEFAULT_LOG_NAME = 'audit.skillhub.example';
const DEFAULT_START = '2026-01-05T08:00:00.000Z';
const DEFAULT_GAP_MS = 3600;

/**
 * Returns a deterministic byte source for a seed (sfc32 seeded by cyrb128). For samples, tests
 * and benchmarks only: it is not a cryptographic generator.
 * @example createAuditLog({ store, signer, logName, randomBytes: createSeededRandom('demo') })
 */
export function createSeededRandom(seed: string | number): (n: number) => Uint8Array {
  const next = createPrng(String(seed));
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 4) {
      const v = next();
      out[i] = v & 0xff;
      if (i + 1 < n) out[i + 1] = (v >>> 8) & 0xff;
      if (i + 2 < n) out[i + 2] = (v >>> 16) & 0xff;
      if (i + 3 < n) out[i + 3] = v >>> 24;
    }
    return out;
  };
}

// cyrb128 (string → 128-bit state) and sfc32 (PractRand-clean, 32-bit ops only): small, fast,
// and identical in every JavaScript engine, which Math.random is not.
function createPrng(seed: string): () => number {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < seed.length; i++) {
    const k = seed.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  let a = (h1 ^ h2 ^ h3 ^ h4) >>> 0;
  let b = (h2 ^ h1) >>> 0;
  let c = (h3 ^ h1) >>> 0;
  let d = (h4 ^ h1) >>> 0;
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 15; i++) next();
  return next;
}

const FIRST = ['Ada', 'Bruno', 'Chiara', 'Dmitri', 'Elif', 'Farah', 'Gustavo', 'Hana', 'Ines', 'Jonas', 'Kemal', 'Leila', 'Mateo', 'Nia', 'Oskar', 'Priya', 'Quentin', 'Rosa', 'Sven', 'Tamar', 'Umar', 'Vera', 'Wen', 'Ximena', 'Yusuf', 'Zofia'];
const LAST = ['Okafor', 'Lindqvist', 'Moreau', 'Tanaka', 'Novak', 'Haddad', 'Ferreira', 'Kowalski', 'Nguyen', 'Brennan', 'Ivanova', 'Castillo', 'Adeyemi', 'Schmidt', 'Rossi', 'Park', 'Dubois', 'Yilmaz', 'Costa', 'Fischer', 'Achterberg'];
const SKILL_NAMES = [
  '@acme/pdf-tools', '@acme/invoice-extractor', '@acme/brand-voice', '@acme/contract-review', '@acme/onboarding-buddy',
  '@acme/release-notes', '@acme/k8s-triage', '@acme/sales-call-summary', 'sql-explainer', 'slack-digest', 'csv-cleaner',
  'meeting-notes', 'jira-groomer', 'security-questionnaire', 'gdpr-dsar-helper', 'changelog-writer', 'api-doc-linter',
  'incident-timeline', 'churn-signals', 'translation-de-fr', 'figma-handoff', 'terraform-reviewer', 'log-explainer',
  'expense-policy-check', 'support-macro-drafter', 'regex-wizard', 'okr-coach', 'dependency-auditor', 'pitch-deck-critic',
  'hr-policy-qa', 'sprint-retro', 'accessibility-audit', 'seo-brief', 'data-room-indexer', 'soc2-evidence-collector',
  'customer-health-score', 'interview-kit', 'pricing-page-ab', 'vendor-risk-triage', 'podcast-show-notes',
];
const BROWSER_UAS = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
  'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  'skillctl/1.8.2 (darwin; arm64) node/22.11.0',
];
const ATTACKER_UAS = ['python-requests/2.31.0', 'Go-http-client/1.1', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36'];
const API_KEYS = [
  { name: 'CI publish (GitHub Actions)', ua: 'skillctl/1.8.2 (linux; x64; ci=github-actions)', scopes: ['skills:read', 'skills:publish'] },
  { name: 'Nightly catalogue sync', ua: 'python-requests/2.32.3', scopes: ['skills:read'] },
  { name: 'Terraform', ua: 'Terraform/1.9.8 terraform-provider-skillhub/0.6.1', scopes: ['skills:read', 'members:write', 'policies:write'] },
  { name: 'Data warehouse export', ua: 'curl/8.5.0', scopes: ['audit:read'] },
];
const POLICIES = [
  { id: 'pol_sso_enforced', display: 'Require SSO for all members', values: [false, true] },
  { id: 'pol_download_allowlist', display: 'Skill download allowlist', values: ['all', 'verified_publishers', 'org_only'] },
  { id: 'pol_session_lifetime', display: 'Session lifetime (hours)', values: [8, 12, 24, 72] },
  { id: 'pol_mfa_required', display: 'Require MFA', values: [false, true] },
  { id: 'pol_api_key_max_age', display: 'API key maximum age (days)', values: [30, 90, 180, 365] },
];
const ROLES = ['owner', 'admin', 'member', 'viewer', 'billing'] as const;

interface Member {
  readonly id: string;
  readonly display: string;
  readonly email: string;
  role: string;
  readonly ip: string;
  readonly ua: string;
  /** Seq after which the member no longer acts (departed members only). */
  readonly activeUntil: number;
}

interface Skill {
  readonly id: string;
  readonly name: string;
  version: [number, number, number];
  size: number;
  sha256: string;
}

/** Seqs of scheduled departures: the member is removed at `seq - 10` and erased at `seq`. */
const ERASURE_SEQS = [180, 2_400, 36_000, 420_000, 4_200_000];

/**
 * Returns the events of a sample log, one per entry, in order. Memory stays constant: the
 * member, skill and key pools are fixed-size.
 * @example for (const e of sampleEvents({ rows: 10 })) console.log(e.seq, e.kind)
 */
export function sampleEvents(options: SampleLogOptions): Generator<SampleEvent> {
  return planSample(options).events;
}

/** A sample's events, and the erasures scheduled within its rows (known before any event is generated). */
interface SamplePlan {
  readonly erasures: readonly { readonly seq: number; readonly subject: Subject }[];
  readonly events: Generator<SampleEvent>;
}

function planSample(options: SampleLogOptions): SamplePlan {
  const rows = checkRows(options.rows);
  const tenant = options.tenant ?? DEFAULT_TENANT;
  const seed = String(options.seed ?? 1);
  const start = Date.parse(options.start ?? DEFAULT_START);
  const gap = options.gapMs ?? DEFAULT_GAP_MS;
  if (!Number.isFinite(start) || !(gap > 0)) throw new AuditChainError('ERR_AUDIT_USAGE', 'sample start must be a timestamp and gapMs a positive number');
  const u32 = createPrng(`${seed}/content`);
  const rand = () => u32() / 4294967296;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const chance = (p: number) => rand() < p;
  const token = (n: number) => {
    let s = '';
    while (s.length < n) s += u32().toString(36).padStart(6, '0').slice(-6);
    return s.slice(0, n);
  };
  const hex = (bytes: number) => {
    let s = '';
    for (let i = 0; i < bytes; i += 4) s += u32().toString(16).padStart(8, '0');
    return s.slice(0, bytes * 2);
  };
  const ipv4 = (net: '203.0.113' | '198.51.100') => `${net}.${1 + Math.floor(rand() * 254)}`;
  const homeIp = () => (chance(0.15) ? `2001:db8:${(0x100 + Math.floor(rand() * 0xeff)).toString(16)}::${(1 + Math.floor(rand() * 0xfffe)).toString(16)}` : ipv4(chance(0.7) ? '203.0.113' : '198.51.100'));

  // The tenant's people. Members 6.. leave the company one by one and ask to be erased.
  const departed = ERASURE_SEQS.map((seq) => ({ seq }));
  const memberCount = 38;
  const firstOffset = Math.floor(rand() * FIRST.length);
  const members: Member[] = [];
  for (let i = 0; i < memberCount; i++) {
    const first = FIRST[(firstOffset + i) % FIRST.length]!;
    const last = LAST[(i * 7 + firstOffset) % LAST.length]!;
    const d = i >= 6 && i < 6 + departed.length ? departed[i - 6]! : null;
    members.push({
      id: `usr_${token(12)}`,
      display: `${first} ${last}`,
      email: `${first}.${last}@example.com`.toLowerCase(),
      role: i === 0 ? 'owner' : i < 4 ? 'admin' : i < 6 ? 'billing' : i % 9 === 0 ? 'viewer' : 'member',
      ip: homeIp(),
      ua: pick(BROWSER_UAS),
      activeUntil: d ? d.seq - 20 : Number.POSITIVE_INFINITY,
    });
  }
  const departures = departed.map((d, k) => ({ seq: d.seq, member: members[6 + k]! }));
  const owner = members[0]!;
  const admins = members.slice(0, 4);
  const skills: Skill[] = SKILL_NAMES.map((name) => ({
    id: `skl_${token(10)}`,
    name,
    version: [Math.floor(rand() * 3), Math.floor(rand() * 12), Math.floor(rand() * 9)],
    size: 4_096 + Math.floor(rand() * rand() * 4_000_000),
    sha256: hex(32),
  }));
  const apiKeys = API_KEYS.map((k) => ({ ...k, id: `ak_${token(16)}`, ip: ipv4('198.51.100') }));
  const policyState = POLICIES.map((p) => ({ ...p, current: 0 }));

  const active = (seq: number): Member => {
    for (;;) {
      // Activity is skewed: a few people do most of the work.
      const m = members[Math.floor(rand() * rand() * members.length)]!;
      if (seq < m.activeUntil) return m;
    }
  };
  const popularSkill = () => skills[Math.floor(rand() * rand() * skills.length)]!;
  const userActor = (m: Member) => ({ type: 'user', id: m.id, display: m.display, email: m.email });
  const ver = (s: Skill) => s.version.join('.');
  let burst: { ip: string; ua: string; left: number; victim: Member | null } | null = null;

  return {
    erasures: departures.filter((d) => d.seq <= rows).map((d) => ({ seq: d.seq, subject: { type: 'user', id: d.member.id } })),
    events: run(),
  };

  function* run(): Generator<SampleEvent> {
    for (let seq = 1; seq <= rows; seq++) {
      const slot = start + (seq - 1 + rand() * 0.95) * gap;
      const recordedAt = new Date(Math.floor(slot)).toISOString();
      const occurredAt = new Date(Math.floor(slot) - 3 - Math.floor(rand() * rand() * 1500)).toISOString();
      const requestId = `req_${token(20)}`;

      const departure = departures.find((d) => d.seq === seq || d.seq - 10 === seq);
      if (departure && departure.seq === seq) {
        yield { kind: 'erasure', seq, recordedAt, tenant, subject: { type: 'user', id: departure.member.id }, actor: userActor(owner) };
        continue;
      }
      let entry: EntryInput;
      if (departure) {
        const m = departure.member;
        entry = {
          tenant, action: 'member.removed', outcome: 'success', occurredAt,
          actor: userActor(owner),
          target: { type: 'user', id: m.id, display: m.display },
          context: { ip: owner.ip, userAgent: owner.ua, requestId },
          metadata: { role: m.role, reason: 'offboarding' },
        };
      } else if (burst) {
        entry = signInFailed(burst.victim, burst.ip, burst.ua, burst.left, occurredAt, requestId);
        if (--burst.left === 0) burst = null;
      } else {
        const r = rand();
        if (r < 0.5) {
          const skill = popularSkill();
          const byKey = chance(0.18);
          const m = active(seq);
          const outcome = chance(0.955) ? 'success' : chance(0.75) ? 'denied' : 'failure';
          const key = apiKeys[1]!;
          entry = {
            tenant, action: 'skill.downloaded', outcome, occurredAt,
            actor: byKey ? { type: 'api_key', id: key.id, display: key.name } : userActor(m),
            target: { type: 'skill', id: skill.id, display: skill.name },
            context: { ip: byKey ? key.ip : m.ip, userAgent: byKey ? key.ua : m.ua, requestId },
            metadata:
              outcome === 'success'
                ? { version: ver(skill), size_bytes: skill.size, sha256: skill.sha256, channel: byKey ? 'api' : pick(['web', 'web', 'cli']) }
                : { version: ver(skill), reason: outcome === 'denied' ? pick(['skill_private', 'seat_limit_reached', 'download_allowlist']) : 'storage_timeout' },
          };
        } else if (r < 0.65) {
          const m = active(seq);
          entry = {
            tenant, action: 'auth.signed_in', outcome: 'success', occurredAt,
            actor: userActor(m),
            target: { type: 'session', id: `ses_${token(16)}` },
            context: { ip: m.ip, userAgent: m.ua, requestId },
            metadata: { method: pick(['sso', 'sso', 'sso', 'password', 'passkey']), mfa: chance(0.8) },
          };
        } else if (r < 0.69) {
          const m = active(seq);
          entry = {
            tenant, action: 'auth.signed_out', outcome: 'success', occurredAt,
            actor: userActor(m),
            context: { ip: m.ip, userAgent: m.ua, requestId },
          };
        } else if (r < 0.715) {
          // Failed sign-ins: a person mistyping, or a credential-stuffing burst from one address.
          if (chance(0.1)) {
            burst = { ip: ipv4('198.51.100'), ua: pick(ATTACKER_UAS), left: 3 + Math.floor(rand() * 10), victim: chance(0.5) ? active(seq) : null };
            entry = signInFailed(burst.victim, burst.ip, burst.ua, burst.left, occurredAt, requestId);
            if (--burst.left === 0) burst = null;
          } else {
            const m = active(seq);
            entry = signInFailed(m, m.ip, m.ua, 9, occurredAt, requestId);
          }
        } else if (r < 0.78) {
          const skill = popularSkill();
          const byCi = chance(0.45);
          const m = active(seq);
          const previous = ver(skill);
          const outcome = m.role === 'viewer' && !byCi ? 'denied' : chance(0.97) ? 'success' : 'failure';
          if (outcome === 'success') {
            if (chance(0.8)) skill.version[2]++;
            else skill.version = [skill.version[0], skill.version[1] + 1, 0];
            skill.size = Math.max(2_048, Math.floor(skill.size * (0.9 + rand() * 0.25)));
            skill.sha256 = hex(32);
          }
          const ci = apiKeys[0]!;
          entry = {
            tenant, action: 'skill.published', outcome, occurredAt,
            actor: byCi ? { type: 'api_key', id: ci.id, display: ci.name } : userActor(m),
            target: { type: 'skill', id: skill.id, display: skill.name },
            context: { ip: byCi ? ci.ip : m.ip, userAgent: byCi ? ci.ua : m.ua, requestId },
            metadata:
              outcome === 'success'
                ? { version: ver(skill), previous_version: previous, size_bytes: skill.size, sha256: skill.sha256, visibility: chance(0.85) ? 'org' : 'public' }
                : { attempted_version: previous, reason: outcome === 'denied' ? 'role_cannot_publish' : 'manifest_invalid' },
          };
        } else if (r < 0.82) {
          const skill = popularSkill();
          const flagged = chance(0.01);
          entry = {
            tenant, action: 'skill.scanned', outcome: flagged ? 'failure' : 'success', occurredAt,
            actor: { type: 'system', id: 'malware-scanner' },
            target: { type: 'skill', id: skill.id, display: skill.name },
            context: { requestId: `job_${token(20)}` },
            metadata: { version: ver(skill), sha256: skill.sha256, verdict: flagged ? 'suspicious_network_call' : 'clean', engine: 'skillscan/4.2.0' },
          };
        } else if (r < 0.845) {
          const a = pick(admins);
          const inviteeFirst = pick(FIRST);
          const email = `${inviteeFirst}.${pick(LAST)}${Math.floor(rand() * 90) + 10}@example.org`.toLowerCase();
          const role = pick(['member', 'member', 'member', 'viewer', 'admin']);
          entry = {
            tenant, action: 'member.invited', outcome: 'success', occurredAt,
            actor: userActor(a),
            target: { type: 'invitation', id: `inv_${token(14)}`, display: email },
            context: { ip: a.ip, userAgent: a.ua, requestId },
            metadata: { role, invitee_email: email, expires_in_days: 7 },
            erasableMetadata: ['invitee_email'],
          };
        } else if (r < 0.86) {
          // Mostly admins; now and then a member tries and is denied.
          const actor = chance(0.9) ? pick(admins) : active(seq);
          let m = active(seq);
          // The owner and the core admin team keep their roles, so their later actions stay allowed.
          while (admins.includes(m)) m = active(seq);
          const from = m.role;
          const to = pick(ROLES.filter((x) => x !== from && x !== 'owner'));
          const allowed = actor.role === 'owner' || actor.role === 'admin';
          if (allowed) m.role = to;
          entry = {
            tenant, action: 'member.role_changed', outcome: allowed ? 'success' : 'denied', occurredAt,
            actor: userActor(actor),
            target: { type: 'user', id: m.id, display: m.display },
            context: { ip: actor.ip, userAgent: actor.ua, requestId },
            metadata: allowed ? { from_role: from, to_role: to } : { from_role: from, to_role: to, reason: 'requires_admin' },
          };
        } else if (r < 0.872) {
          const a = pick(admins);
          const k = pick(apiKeys);
          const revoke = chance(0.35);
          entry = {
            tenant, action: revoke ? 'api_key.revoked' : 'api_key.created', outcome: 'success', occurredAt,
            actor: userActor(a),
            target: { type: 'api_key', id: revoke ? k.id : `ak_${token(16)}`, display: revoke ? k.name : `${pick(['Staging', 'Zapier', 'Backstage plugin', 'Local dev'])} key` },
            context: { ip: a.ip, userAgent: a.ua, requestId },
            metadata: revoke ? { reason: pick(['rotation', 'unused', 'leaked_in_ci_log']) } : { scopes: k.scopes, expires_at: new Date(Math.floor(slot) + 90 * 86_400_000).toISOString() },
          };
        } else if (r < 0.88) {
          const byTerraform = chance(0.3);
          const a = byTerraform ? null : chance(0.9) ? pick(admins) : active(seq);
          const p = pick(policyState);
          const from = p.values[p.current]!;
          const next = (p.current + 1 + Math.floor(rand() * (p.values.length - 1))) % p.values.length;
          const allowed = byTerraform || a!.role === 'owner' || a!.role === 'admin';
          if (allowed) p.current = next;
          const tf = apiKeys[2]!;
          entry = {
            tenant, action: 'policy.updated', outcome: allowed ? 'success' : 'denied', occurredAt,
            actor: a ? userActor(a) : { type: 'api_key', id: tf.id, display: tf.name },
            target: { type: 'policy', id: p.id, display: p.display },
            context: { ip: a ? a.ip : tf.ip, userAgent: a ? a.ua : tf.ua, requestId },
            metadata: { setting: p.id.slice(4), from, to: p.values[next]! } as Record<string, JsonValue>,
          };
        } else if (r < 0.883) {
          const a = pick(admins);
          entry = {
            tenant, action: 'audit.exported', outcome: 'success', occurredAt,
            actor: userActor(a),
            context: { ip: a.ip, userAgent: a.ua, requestId },
            metadata: { format: 'stela.audit/csv/v1', to_seq: seq - 1 },
          };
        } else {
          const skill = popularSkill();
          const m = active(seq);
          entry = {
            tenant, action: 'skill.viewed', outcome: 'success', occurredAt,
            actor: userActor(m),
            target: { type: 'skill', id: skill.id, display: skill.name },
            context: { ip: m.ip, userAgent: m.ua, requestId },
            metadata: { version: ver(skill), tab: pick(['readme', 'readme', 'versions', 'permissions']) },
          };
        }
      }
      yield { kind: 'entry', seq, recordedAt, entry };
    }
  }

  function signInFailed(victim: Member | null, ip: string, ua: string, attempt: number, occurredAt: string, requestId: string): EntryInput {
    if (!victim) {
      const email = `${pick(FIRST)}.${pick(LAST)}@example.org`.toLowerCase();
      return {
        tenant, action: 'auth.sign_in_failed', outcome: 'failure', occurredAt,
        actor: { type: 'anonymous', id: 'anonymous' },
        context: { ip, userAgent: ua, requestId },
        metadata: { reason: 'unknown_account', attempted_email: email },
        erasableMetadata: ['attempted_email'],
      };
    }
    const locked = attempt <= 2;
    return {
      tenant, action: 'auth.sign_in_failed', outcome: locked ? 'denied' : 'failure', occurredAt,
      actor: userActor(victim),
      context: { ip, userAgent: ua, requestId },
      metadata: { reason: locked ? 'account_locked' : pick(['bad_password', 'bad_password', 'mfa_failed']), method: 'password' },
    };
  }
}

function checkRows(rows: number): number {
  if (!Number.isSafeInteger(rows) || rows < 0) throw new AuditChainError('ERR_AUDIT_USAGE', `rows must be a non-negative integer, got ${String(rows)}`);
  return rows;
}

/**
 * Appends a sample log to an audit log, one `append` (or `erase`) per event, so the result is the
 * same logical log `sampleExport` writes (given the same clock and salts).
 * @example await writeSampleLog(createAuditLog({ store: createMemoryStore(), signer, logName }), { rows: 200 })
 */
export async function writeSampleLog(
  log: SampleLogTarget,
  options: SampleLogOptions & { readonly onEvent?: (event: SampleEvent) => void },
): Promise<{ rows: number }> {
  let rows = 0;
  for (const event of sampleEvents(options)) {
    options.onEvent?.(event);
    if (event.kind === 'entry') await log.append(event.entry);
    else await log.erase(event.tenant, event.subject, { actor: event.actor });
    rows++;
  }
  return { rows };
}

const subjectKey = (s: Subject) => `${s.type}\u0000${s.id}`;

/**
 * Streams a signed sample export as CSV text chunks of about 64 KiB, in constant memory: the
 * same bytes `createAuditLog(...).exportCsv(tenant, { bom })` writes for a full export of the
 * same events (first_seq 1, empty prefix, one checkpoint at the last row, no consistency proof).
 * @example for await (const chunk of sampleCsv({ rows: 1000, signer })) out.write(chunk)
 */
export async function* sampleCsv(options: SampleExportOptions): AsyncGenerator<string> {
  const rows = checkRows(options.rows);
  const tenant = options.tenant ?? DEFAULT_TENANT;
  const logName = options.logName ?? DEFAULT_LOG_NAME;
  const origin = `${logName}/${encodeURIComponent(tenant)}`;
  const randomBytes = options.randomBytes ?? createSeededRandom(`${String(options.seed ?? 1)}/salts`);
  const endOfSlots = Date.parse(options.start ?? DEFAULT_START) + rows * (options.gapMs ?? DEFAULT_GAP_MS);
  const now = options.now ?? (() => new Date(Math.floor(endOfSlots) + 300_000));
  // createAuditLog reads its clock for the checkpoint first, then for generated_at.
  const issuedAt = now().toISOString();
  const generatedAt = now().toISOString();

  // Erasures happen later in the log than the entries they blank, so the export of a log that
  // has already processed them shows those values as erased. Which people are erased within
  // `rows` is known up front; their counts are tallied as their entries stream past.
  const plan = planSample(options);
  const erasedWithin = new Map<string, { fields: number; entries: number }>();
  for (const e of plan.erasures) erasedWithin.set(subjectKey(e.subject), { fields: 0, entries: 0 });

  const tree = createTreeBuilder();
  let prev = GENESIS_HASH;
  let chunk = (options.bom ? BOM : '') + CSV_HEADER_LINE;
  const descriptor = exportDescriptor({
    origin,
    tenant,
    firstSeq: 1,
    lastSeq: rows,
    prefix: { range: { size: 0, nodes: [] }, chainHead: GENESIS_HASH },
    generatedAt,
    bom: options.bom === true,
    filter: { from_seq: null, to_seq: null, from_time: null, to_time: null },
  });
  chunk += exportRecord(descriptor);

  for (const event of plan.events) {
    let parsed: ParsedEntry;
    if (event.kind === 'entry') {
      parsed = event.entry as ParsedEntry;
    } else {
      const tally = erasedWithin.get(subjectKey(event.subject)) ?? { fields: 0, entries: 0 };
      parsed = {
        tenant: event.tenant,
        action: 'privacy.erasure',
        outcome: 'success',
        actor: event.actor,
        target: { type: event.subject.type, id: event.subject.id },
        metadata: { fields_erased: tally.fields, entries_affected: tally.entries },
      } as ParsedEntry;
      erasedWithin.delete(subjectKey(event.subject));
    }
    const sealed = sealEntry(parsed, { seq: event.seq, prevHash: prev, recordedAt: event.recordedAt, randomBytes });
    tree.append(sealed.leafHash);
    prev = sealed.record.hash;
    let disclosures = sealed.disclosures;
    if (erasedWithin.size > 0) {
      // Same subject rule as createAuditLog: target_display belongs to the target, every other
      // erasable field to the actor.
      const actorKey = subjectKey(parsed.actor);
      const targetKey = parsed.target ? subjectKey(parsed.target) : actorKey;
      let kept: Record<string, Disclosure> | null = null;
      for (const field of Object.keys(disclosures)) {
        const key = field === 'target_display' ? targetKey : actorKey;
        const tally = erasedWithin.get(key);
        if (!tally) continue;
        if (!kept) {
          kept = { ...disclosures };
          tally.entries++;
        }
        delete kept[field];
        tally.fields++;
      }
      if (kept) disclosures = kept;
    }
    chunk += entryRow(sealed.record, disclosures);
    // ~64 KiB chunks, measured (50k rows, best of 3): 16 KiB 21k, 64 KiB 25k, 256 KiB 14k rows/s.
    if (chunk.length > 65_536) {
      yield chunk;
      chunk = '';
    }
  }
  if (tree.size !== rows) throw new AuditChainError('ERR_AUDIT_STORE', `sample generated ${tree.size} rows instead of ${rows}`);
  const cp = await signCheckpoint(
    {
      '@type': CHECKPOINT_TYPE,
      origin,
      tenant,
      size: rows,
      root: toHex(tree.root()),
      chain_head: prev,
      issued_at: issuedAt,
      previous: null,
    },
    options.signer,
  );
  chunk += await checkpointRecord(descriptor, cp, [], options.signer);
  yield chunk;
}

/**
 * Returns a signed sample export as a byte stream (see `sampleCsv`).
 * @example await new Response(sampleExport({ rows: 100, signer })).text()
 */
export function sampleExport(options: SampleExportOptions): ReadableStream<Uint8Array> {
  return textStream(() => sampleCsv(options));
}
