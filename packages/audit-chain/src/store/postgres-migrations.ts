// Generated from migrations/*.sql by test/store-migrations.test.ts. Do not edit: change the SQL
// and run `pnpm exec vitest run --project audit-chain store-migrations -u`.

/** The shipped SQL migrations in order, embedded so `migrate()` needs no file system. */
export const POSTGRES_MIGRATIONS: readonly { readonly version: string; readonly sql: string }[] = [
  {
    version: "001_audit_chain",
    sql: `-- @stela/audit-chain migration 001: tables, the writer role, append-only guards, erasure and pruning.
--
-- PostgreSQL 14 or later (CREATE OR REPLACE TRIGGER); PGlite works too. Run it as the role that
-- should OWN the audit tables, never as the application role, in one transaction
-- (\`psql -1 -f 001_audit_chain.sql\`, or \`migrate()\` from \`@stela/audit-chain/store/postgres\`).
-- Running it again is harmless. docs/audit-chain/postgres.md explains every guard below.
--
-- Everything lives in the schema \`stela_audit\`. The application connects as (or is granted) the
-- role \`stela_audit_writer\`, which may INSERT and SELECT audit rows but never UPDATE, DELETE or
-- TRUNCATE them; erasure and pruning go through the two SECURITY DEFINER functions at the end.

CREATE SCHEMA IF NOT EXISTS stela_audit;

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'stela_audit_writer') THEN
    CREATE ROLE stela_audit_writer NOLOGIN;
  END IF;
EXCEPTION
  -- Roles are cluster-wide: a migration running at the same time in another database may win.
  WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;

CREATE TABLE IF NOT EXISTS stela_audit.migrations (
  version    text PRIMARY KEY,
  applied_at timestamptz NOT NULL DEFAULT now()
);

-- One row per tenant: the lock that serialises appends (SELECT … FOR UPDATE) and the state the
-- next append needs. \`frontier\` is the RFC 6962 compact range of leaves [0, size): popcount(size)
-- 32-byte subtree roots, largest first.
CREATE TABLE IF NOT EXISTS stela_audit.heads (
  tenant_id        text COLLATE "C" PRIMARY KEY,
  size             bigint NOT NULL CHECK (size >= 0),
  chain_head       bytea NOT NULL CHECK (length(chain_head) = 32),
  frontier         bytea NOT NULL CHECK (length(frontier) % 32 = 0),
  last_recorded_at text COLLATE "C"
);

-- The sealed records. Timestamps are kept as the exact canonical text that was hashed
-- (\`2026-05-01T12:00:00.000Z\`): the fixed format sorts like time, and timestamptz cannot hold
-- year 0000, which the entry schema accepts. Keys and timestamps use the "C" collation: byte
-- order is what the library compares with, and it is the cheapest collation to index. metadata and commitments are \`json\`, not \`jsonb\`:
-- json keeps the text as written and accepts "\\u0000", which jsonb rejects but metadata may hold.
-- A NULL optional column means the field was absent from the record.
CREATE TABLE IF NOT EXISTS stela_audit.entries (
  tenant_id   text COLLATE "C" NOT NULL,
  seq         bigint NOT NULL CHECK (seq >= 1),
  prev_hash   bytea  NOT NULL CHECK (length(prev_hash) = 32),
  hash        bytea  NOT NULL CHECK (length(hash) = 32),
  occurred_at text COLLATE "C" NOT NULL CHECK (occurred_at ~ '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$'),
  recorded_at text COLLATE "C" NOT NULL CHECK (recorded_at ~ '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$'),
  action      text   NOT NULL,
  outcome     text   NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
  actor_type  text   NOT NULL,
  actor_id    text   NOT NULL,
  target_type text,
  target_id   text,
  request_id  text,
  metadata    json   NOT NULL,
  commitments json   NOT NULL,
  PRIMARY KEY (tenant_id, seq)
);
CREATE INDEX IF NOT EXISTS entries_recorded_at ON stela_audit.entries (tenant_id, recorded_at);

-- The salts and values behind the commitments, one row per entry and person (or none): \`fields\` maps each
-- erasable field of that person to {"salt": …, "value": …}. A row per person, not per field,
-- because erasure removes a person's fields together, and a typical entry then writes two rows
-- instead of five. The only audit data that may ever be deleted (erasure, pruning), and only
-- through the functions below.
CREATE TABLE IF NOT EXISTS stela_audit.disclosures (
  tenant_id    text COLLATE "C" NOT NULL,
  seq          bigint NOT NULL,
  subject_type text COLLATE "C",
  subject_id   text COLLATE "C",
  fields       json   NOT NULL
);
-- No primary key: the entries' key already refuses a second insert of the same seq, and a
-- disclosure without a person (NULL subject) is allowed.
CREATE INDEX IF NOT EXISTS disclosures_seq ON stela_audit.disclosures (tenant_id, seq);
CREATE INDEX IF NOT EXISTS disclosures_subject ON stela_audit.disclosures (tenant_id, subject_type, subject_id);

-- Signed checkpoints. The JWS is the source of truth; size, root, chain head and issue time are
-- copied out of it for queries.
CREATE TABLE IF NOT EXISTS stela_audit.checkpoints (
  tenant_id  text COLLATE "C" NOT NULL,
  id         bigint GENERATED ALWAYS AS IDENTITY,
  size       bigint NOT NULL CHECK (size >= 0),
  root       bytea  NOT NULL CHECK (length(root) = 32),
  chain_head bytea  NOT NULL CHECK (length(chain_head) = 32),
  issued_at  text   NOT NULL,
  jws        text   NOT NULL,
  note       text   NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX IF NOT EXISTS checkpoints_size ON stela_audit.checkpoints (tenant_id, size, id);

-- What retention removed from the front of a log: entries 1..size are gone, and their chain head
-- and compact range stay so the rest still verifies against earlier checkpoints.
CREATE TABLE IF NOT EXISTS stela_audit.pruned_prefixes (
  tenant_id     text COLLATE "C" PRIMARY KEY,
  size          bigint NOT NULL CHECK (size >= 1),
  chain_head    bytea  NOT NULL CHECK (length(chain_head) = 32),
  compact_range bytea  NOT NULL CHECK (length(compact_range) % 32 = 0),
  pruned_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS stela_audit.retention_policies (
  tenant_id      text COLLATE "C" PRIMARY KEY,
  retention_days integer CHECK (retention_days IS NULL OR retention_days >= 0),
  legal_hold     boolean NOT NULL DEFAULT false,
  updated_at     timestamptz NOT NULL DEFAULT now()
);

-- ── Guards ──────────────────────────────────────────────────────────────────────────────────
-- Every guard trigger is ENABLE ALWAYS: \`session_replication_role = replica\` skips ordinary
-- triggers (and FK checks), but not ALWAYS ones.
--
-- A guarded DELETE is let through only while stela_audit.prune() or stela_audit.erase_subject()
-- runs: each sets a transaction-local scope (tenant, last seq) that the guard compares with the
-- row. Anyone can set a custom setting, so the scope alone is not the lock. The guard also
-- requires the current role to act with the table owner's privileges, which the application
-- role does only inside those SECURITY DEFINER functions. And the application role holds no
-- DELETE privilege at all, so its DELETE fails before any trigger runs.

CREATE OR REPLACE FUNCTION stela_audit.delete_in_scope(p_table oid, p_tenant text, p_seq bigint, p_scope text)
RETURNS boolean
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT coalesce(current_setting('stela_audit.' || p_scope || '_tenant', true), '') = p_tenant
     AND p_seq <= coalesce(nullif(current_setting('stela_audit.' || p_scope || '_through', true), ''), '0')::bigint
     AND pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = p_table), 'USAGE')
$$;

CREATE OR REPLACE FUNCTION stela_audit.guard_entries()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF TG_OP = 'DELETE' AND stela_audit.delete_in_scope(TG_RELID, OLD.tenant_id, OLD.seq, 'prune') THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'stela_audit.% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'SA001',
          HINT = 'Audit entries are never changed. Retention goes through stela_audit.prune().';
END
$$;

CREATE OR REPLACE FUNCTION stela_audit.guard_disclosures()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF TG_OP = 'DELETE' AND (stela_audit.delete_in_scope(TG_RELID, OLD.tenant_id, OLD.seq, 'prune')
                        OR stela_audit.delete_in_scope(TG_RELID, OLD.tenant_id, OLD.seq, 'erase')) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'stela_audit.% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'SA001',
          HINT = 'Personal data is removed only by stela_audit.erase_subject(); values are never edited.';
END
$$;

CREATE OR REPLACE FUNCTION stela_audit.guard_forever()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RAISE EXCEPTION 'stela_audit.% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'SA001';
END
$$;

-- A head starts empty and only moves forward; a pruned prefix only grows.
CREATE OR REPLACE FUNCTION stela_audit.guard_forward()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF TG_OP = 'INSERT' AND TG_TABLE_NAME = 'heads' THEN
    IF NEW.size = 0 AND NEW.chain_head = decode(repeat('00', 32), 'hex') AND length(NEW.frontier) = 0 THEN
      RETURN NEW;
    END IF;
    RAISE EXCEPTION 'stela_audit.heads: a tenant log starts empty (size 0, genesis chain head)' USING ERRCODE = 'SA001';
  ELSIF TG_OP = 'INSERT' THEN
    RETURN NEW;
  ELSIF TG_OP = 'UPDATE' THEN
    IF NEW.tenant_id = OLD.tenant_id
       AND (NEW.size > OLD.size OR (NEW.size = OLD.size AND NEW.chain_head = OLD.chain_head)) THEN
      RETURN NEW;
    END IF;
    RAISE EXCEPTION 'stela_audit.%: size % cannot move back to % or change its chain head', TG_TABLE_NAME, OLD.size, NEW.size
      USING ERRCODE = 'SA001';
  END IF;
  RAISE EXCEPTION 'stela_audit.% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP USING ERRCODE = 'SA001';
END
$$;

CREATE OR REPLACE TRIGGER append_only BEFORE UPDATE OR DELETE ON stela_audit.entries
  FOR EACH ROW EXECUTE FUNCTION stela_audit.guard_entries();
CREATE OR REPLACE TRIGGER append_only_truncate BEFORE TRUNCATE ON stela_audit.entries
  FOR EACH STATEMENT EXECUTE FUNCTION stela_audit.guard_forever();
ALTER TABLE stela_audit.entries ENABLE ALWAYS TRIGGER append_only, ENABLE ALWAYS TRIGGER append_only_truncate;

CREATE OR REPLACE TRIGGER append_only BEFORE UPDATE OR DELETE ON stela_audit.disclosures
  FOR EACH ROW EXECUTE FUNCTION stela_audit.guard_disclosures();
CREATE OR REPLACE TRIGGER append_only_truncate BEFORE TRUNCATE ON stela_audit.disclosures
  FOR EACH STATEMENT EXECUTE FUNCTION stela_audit.guard_forever();
ALTER TABLE stela_audit.disclosures ENABLE ALWAYS TRIGGER append_only, ENABLE ALWAYS TRIGGER append_only_truncate;

CREATE OR REPLACE TRIGGER append_only BEFORE UPDATE OR DELETE ON stela_audit.checkpoints
  FOR EACH ROW EXECUTE FUNCTION stela_audit.guard_forever();
CREATE OR REPLACE TRIGGER append_only_truncate BEFORE TRUNCATE ON stela_audit.checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION stela_audit.guard_forever();
ALTER TABLE stela_audit.checkpoints ENABLE ALWAYS TRIGGER append_only, ENABLE ALWAYS TRIGGER append_only_truncate;

CREATE OR REPLACE TRIGGER forward_only BEFORE INSERT OR UPDATE OR DELETE ON stela_audit.heads
  FOR EACH ROW EXECUTE FUNCTION stela_audit.guard_forward();
CREATE OR REPLACE TRIGGER append_only_truncate BEFORE TRUNCATE ON stela_audit.heads
  FOR EACH STATEMENT EXECUTE FUNCTION stela_audit.guard_forever();
ALTER TABLE stela_audit.heads ENABLE ALWAYS TRIGGER forward_only, ENABLE ALWAYS TRIGGER append_only_truncate;

CREATE OR REPLACE TRIGGER forward_only BEFORE UPDATE OR DELETE ON stela_audit.pruned_prefixes
  FOR EACH ROW EXECUTE FUNCTION stela_audit.guard_forward();
CREATE OR REPLACE TRIGGER append_only_truncate BEFORE TRUNCATE ON stela_audit.pruned_prefixes
  FOR EACH STATEMENT EXECUTE FUNCTION stela_audit.guard_forever();
ALTER TABLE stela_audit.pruned_prefixes ENABLE ALWAYS TRIGGER forward_only, ENABLE ALWAYS TRIGGER append_only_truncate;

-- A legal hold is a one-way switch for the application: the writer may set one, but only the
-- tables' owner (the role that ran this migration, or a role granted it) may lift it. Otherwise
-- whoever holds the application's credentials could lift a hold and prune what it protects.
CREATE OR REPLACE FUNCTION stela_audit.guard_legal_hold()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF OLD.legal_hold AND NOT NEW.legal_hold
     AND NOT pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'USAGE') THEN
    RAISE EXCEPTION 'the legal hold on tenant % can be lifted only by the owner of the audit tables, not by %', OLD.tenant_id, current_user
      USING ERRCODE = 'SA002',
            HINT = 'Lift it over a connection as the migration (owner) role; the application role may only set holds.';
  END IF;
  RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER legal_hold BEFORE UPDATE ON stela_audit.retention_policies
  FOR EACH ROW EXECUTE FUNCTION stela_audit.guard_legal_hold();
ALTER TABLE stela_audit.retention_policies ENABLE ALWAYS TRIGGER legal_hold;

-- ── The two ways to remove audit data ───────────────────────────────────────────────────────
-- Each function's SET clause confines its scope setting to the call: PostgreSQL restores the
-- previous value when the function exits, so nothing stays authorised afterwards.

-- Deletes every disclosure (salt + value) of one person in one tenant. The commitments stay in
-- the hashed entries, so the chain and every proof still verify; the caller appends the
-- \`privacy.erasure\` entry in the same transaction.
CREATE OR REPLACE FUNCTION stela_audit.erase_subject(p_tenant text, p_subject_type text, p_subject_id text,
                                                     OUT fields bigint, OUT entries bigint)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET stela_audit.erase_tenant = ''
SET stela_audit.erase_through = '0'
AS $$
BEGIN
  PERFORM set_config('stela_audit.erase_tenant', p_tenant, true);
  PERFORM set_config('stela_audit.erase_through', '9223372036854775807', true);
  WITH gone AS (
    DELETE FROM stela_audit.disclosures d
     WHERE d.tenant_id = p_tenant AND d.subject_type = p_subject_type AND d.subject_id = p_subject_id
    RETURNING d.seq, d.fields
  )
  SELECT (SELECT count(*) FROM gone, json_object_keys(gone.fields)), count(DISTINCT gone.seq) INTO fields, entries FROM gone;
END
$$;

-- Deletes entries 1..p_size of one tenant (and their disclosures) and records the pruned prefix.
-- Refuses while the tenant is under legal hold, when the prefix would shrink or pass the head,
-- and when p_chain_head is not the hash of entry p_size. The compact range cannot be checked
-- here without rehashing the prefix; a wrong one fails verification against the checkpoint the
-- log signs before pruning.
CREATE OR REPLACE FUNCTION stela_audit.prune(p_tenant text, p_size bigint, p_chain_head bytea, p_compact_range bytea)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET stela_audit.prune_tenant = ''
SET stela_audit.prune_through = '0'
AS $$
DECLARE
  head_size bigint;
  already   bigint;
  deleted   bigint;
BEGIN
  SELECT h.size INTO head_size FROM stela_audit.heads h WHERE h.tenant_id = p_tenant FOR UPDATE;
  IF EXISTS (SELECT FROM stela_audit.retention_policies r WHERE r.tenant_id = p_tenant AND r.legal_hold) THEN
    RAISE EXCEPTION 'tenant % is under legal hold: nothing is pruned until the hold is lifted', p_tenant
      USING ERRCODE = 'SA002';
  END IF;
  SELECT p.size INTO already FROM stela_audit.pruned_prefixes p WHERE p.tenant_id = p_tenant;
  IF head_size IS NULL OR p_size IS NULL OR p_size <= coalesce(already, 0) OR p_size > head_size THEN
    RAISE EXCEPTION 'cannot prune tenant % through seq % (pruned through %, head at %)',
      p_tenant, p_size, coalesce(already, 0), coalesce(head_size, 0) USING ERRCODE = 'SA003';
  END IF;
  IF length(p_compact_range) <> 32 * length(replace(p_size::bit(64)::text, '0', '')) THEN
    RAISE EXCEPTION 'a compact range of % leaves has % nodes, got % bytes',
      p_size, length(replace(p_size::bit(64)::text, '0', '')), length(p_compact_range) USING ERRCODE = 'SA003';
  END IF;
  IF NOT EXISTS (SELECT FROM stela_audit.entries e WHERE e.tenant_id = p_tenant AND e.seq = p_size AND e.hash = p_chain_head) THEN
    RAISE EXCEPTION 'the chain head given is not the hash of entry % of tenant %', p_size, p_tenant USING ERRCODE = 'SA003';
  END IF;

  PERFORM set_config('stela_audit.prune_tenant', p_tenant, true);
  PERFORM set_config('stela_audit.prune_through', p_size::text, true);
  DELETE FROM stela_audit.disclosures d WHERE d.tenant_id = p_tenant AND d.seq <= p_size;
  DELETE FROM stela_audit.entries e WHERE e.tenant_id = p_tenant AND e.seq <= p_size;
  GET DIAGNOSTICS deleted = ROW_COUNT;

  INSERT INTO stela_audit.pruned_prefixes AS p (tenant_id, size, chain_head, compact_range)
  VALUES (p_tenant, p_size, p_chain_head, p_compact_range)
  ON CONFLICT (tenant_id) DO UPDATE
    SET size = excluded.size, chain_head = excluded.chain_head,
        compact_range = excluded.compact_range, pruned_at = now();
  RETURN deleted;
END
$$;

-- ── Appending ───────────────────────────────────────────────────────────────────────────────
-- Appends a batch of sealed entries and their disclosures in one round trip, without locking the
-- head first. The caller sends the head it believes is current (p_expected_*) with entries sealed
-- on top of it, and the head after them (p_size …). If the head is still there, it moves (which
-- locks it until the transaction ends) and the rows go in: ok = true. Otherwise nothing is
-- written, the real head is locked (created empty for a new tenant) and returned with ok = false,
-- and the caller seals again on top of it. The head is matched on size AND chain head: a head
-- remembered from a transaction that rolled back has the right size but not the right hash.
-- With p_size NULL the rows go in and the head stays: the store does that for all but the last
-- part of a batch too big for one call, holding the head's lock already.
--
-- The rows arrive as JSON documents (json_to_recordset), one parameter each on every driver.
-- metadata, commitments and disclosure fields are JSON *text* inside them: Postgres' JSON
-- functions refuse "\\u0000" when they unescape a value, but a json column stores it. It is a
-- function, not a statement the store sends, so the server plans these statements once per
-- session rather than on every append. SECURITY INVOKER: it runs with the caller's own INSERT
-- and UPDATE privileges.
CREATE OR REPLACE FUNCTION stela_audit.append_entries(
  p_tenant text, p_expected_size bigint, p_expected_chain_head bytea, p_entries json, p_disclosures json,
  p_size bigint, p_chain_head bytea, p_frontier bytea, p_last_recorded_at text,
  OUT ok boolean, OUT size bigint, OUT chain_head text, OUT frontier bytea, OUT last_recorded_at text)
LANGUAGE plpgsql
AS $$
#variable_conflict use_column
BEGIN
  IF p_size IS NOT NULL THEN
    UPDATE stela_audit.heads h
       SET size = p_size, chain_head = p_chain_head, frontier = p_frontier, last_recorded_at = p_last_recorded_at
     WHERE h.tenant_id = p_tenant AND h.size = p_expected_size AND h.chain_head = p_expected_chain_head;
    IF NOT FOUND THEN
      ok := false;
      SELECT h.size, encode(h.chain_head, 'hex'), h.frontier, h.last_recorded_at
        INTO size, chain_head, frontier, last_recorded_at
        FROM stela_audit.heads h WHERE h.tenant_id = p_tenant FOR UPDATE;
      IF NOT FOUND THEN
        INSERT INTO stela_audit.heads AS h (tenant_id, size, chain_head, frontier)
        VALUES (p_tenant, 0, decode(repeat('00', 32), 'hex'), ''::bytea) ON CONFLICT (tenant_id) DO NOTHING;
        SELECT h.size, encode(h.chain_head, 'hex'), h.frontier, h.last_recorded_at
          INTO size, chain_head, frontier, last_recorded_at
          FROM stela_audit.heads h WHERE h.tenant_id = p_tenant FOR UPDATE;
      END IF;
      RETURN;
    END IF;
  END IF;
  INSERT INTO stela_audit.entries (tenant_id, seq, prev_hash, hash, occurred_at, recorded_at, action, outcome,
                                   actor_type, actor_id, target_type, target_id, request_id, metadata, commitments)
  SELECT p_tenant, x.seq, decode(x.prev_hash, 'hex'), decode(x.hash, 'hex'), x.occurred_at, x.recorded_at, x.action,
         x.outcome, x.actor_type, x.actor_id, x.target_type, x.target_id, x.request_id, x.metadata::json, x.commitments::json
    FROM json_to_recordset(p_entries) AS x(seq bigint, prev_hash text, hash text, occurred_at text, recorded_at text,
         action text, outcome text, actor_type text, actor_id text, target_type text, target_id text, request_id text,
         metadata text, commitments text);
  INSERT INTO stela_audit.disclosures (tenant_id, seq, subject_type, subject_id, fields)
  SELECT p_tenant, x.seq, x.subject_type, x.subject_id, x.fields::json
    FROM json_to_recordset(p_disclosures) AS x(seq bigint, subject_type text, subject_id text, fields text);
  ok := true;
END
$$;

-- ── Privileges ──────────────────────────────────────────────────────────────────────────────
-- Functions are executable by PUBLIC by default; only the writer may call the two entry points.
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA stela_audit FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA stela_audit FROM PUBLIC, stela_audit_writer;
GRANT USAGE ON SCHEMA stela_audit TO stela_audit_writer;
GRANT SELECT, INSERT ON stela_audit.entries, stela_audit.disclosures, stela_audit.checkpoints TO stela_audit_writer;
-- SELECT … FOR UPDATE needs UPDATE; the tenant column itself never changes.
GRANT SELECT, INSERT ON stela_audit.heads TO stela_audit_writer;
GRANT UPDATE (size, chain_head, frontier, last_recorded_at) ON stela_audit.heads TO stela_audit_writer;
GRANT SELECT, INSERT ON stela_audit.retention_policies TO stela_audit_writer;
GRANT UPDATE (retention_days, legal_hold, updated_at) ON stela_audit.retention_policies TO stela_audit_writer;
GRANT SELECT ON stela_audit.pruned_prefixes, stela_audit.migrations TO stela_audit_writer;
GRANT EXECUTE ON FUNCTION stela_audit.erase_subject(text, text, text),
                          stela_audit.prune(text, bigint, bytea, bytea),
                          stela_audit.append_entries(text, bigint, bytea, json, json, bigint, bytea, bytea, text) TO stela_audit_writer;
-- The guards call this predicate as whoever runs the statement; it reveals nothing.
GRANT EXECUTE ON FUNCTION stela_audit.delete_in_scope(oid, text, bigint, text) TO stela_audit_writer;
`,
  },

  {
    version: "002_recorded_removals",
    sql: `-- @stela/audit-chain migration 002: every removal of audit data is recorded in the chain.
--
-- Pruning and erasure are the only ways audit data leaves the database (001). The audit log
-- appends a \`retention.pruned\` or \`privacy.erasure\` entry in the same transaction as each, but
-- the writer role can also call stela_audit.prune() and stela_audit.erase_subject() directly,
-- which would remove data and leave nothing in the chain to say so. From this migration on:
--
--   * an AFTER DELETE statement trigger on entries and on disclosures writes one row per removal
--     to stela_audit.removals: what went (a prune through seq N; one person's erased fields) and
--     the tenant's head at that moment;
--   * a deferred constraint trigger on removals refuses the COMMIT (SQLSTATE SA004) unless, for
--     each removal, the chain holds the entry that names it, appended after the removal (normally
--     by the same transaction, which holds the head), before that tenant's next removal that
--     follows an append in the transaction, and inside the head at COMMIT: a successful \`retention.pruned\`
--     entry with metadata.pruned_through_seq = N, or a successful \`privacy.erasure\` entry whose
--     target is that person and whose metadata.fields_erased is the number of fields removed;
--   * a prune may not remove what an earlier removal of the same transaction was recorded by,
--     so one removal cannot erase the record of another.
--
-- Disclosures deleted by a prune need no erasure entry: this migration has prune() delete the
-- entries first, so a disclosure whose entry is already gone is recognisably part of a prune,
-- which is recorded on its own (were 001's prune() back, with its old order, such disclosures
-- are noted as erasures and matched to the prune at COMMIT). Nothing here trusts the custom
-- settings the delete guards use, since anyone can set those.
--
-- The triggers sit on the tables, not inside the two functions, so running 001 again (which
-- replaces the functions) cannot switch the check off. Like every guard they are ENABLE ALWAYS.
-- Same requirements as 001: run as the owner role, in one transaction, after 001; running it
-- again is harmless. Running 001 again re-applies its grants from scratch, which drops the
-- writer's SELECT on removals until this migration runs again.

CREATE TABLE IF NOT EXISTS stela_audit.removals (
  tenant_id    text COLLATE "C" NOT NULL,
  id           bigint GENERATED ALWAYS AS IDENTITY,
  kind         text NOT NULL CHECK (kind IN ('prune', 'erasure')),
  -- The transaction that removed, so its removals can be told apart from earlier ones.
  txid         xid8 NOT NULL DEFAULT pg_current_xact_id(),
  -- The head when the rows went: the recording entry must come after it.
  head_size    bigint NOT NULL,
  -- prune: entries 1..through_seq are gone. erasure: the highest seq whose disclosures went.
  through_seq  bigint NOT NULL,
  -- erasure: whose fields, and how many.
  subject_type text COLLATE "C",
  subject_id   text COLLATE "C",
  fields       bigint,
  removed_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CHECK (kind = 'prune' OR fields IS NOT NULL)
);

CREATE OR REPLACE TRIGGER append_only BEFORE UPDATE OR DELETE ON stela_audit.removals
  FOR EACH ROW EXECUTE FUNCTION stela_audit.guard_forever();
CREATE OR REPLACE TRIGGER append_only_truncate BEFORE TRUNCATE ON stela_audit.removals
  FOR EACH STATEMENT EXECUTE FUNCTION stela_audit.guard_forever();
ALTER TABLE stela_audit.removals ENABLE ALWAYS TRIGGER append_only, ENABLE ALWAYS TRIGGER append_only_truncate;

-- The tenant's head size, locked until the transaction ends, so that appends through the head
-- wait until the removal's transaction is over.
CREATE OR REPLACE FUNCTION stela_audit.lock_head_size(p_tenant text)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  head bigint;
BEGIN
  SELECT h.size INTO head FROM stela_audit.heads h WHERE h.tenant_id = p_tenant FOR UPDATE;
  RETURN coalesce(head, 0);
END
$$;

-- Deleted entries: only prune() deletes them, one tenant and one prefix per statement.
CREATE OR REPLACE FUNCTION stela_audit.note_pruned()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  g record;
BEGIN
  FOR g IN SELECT tenant_id, max(seq) AS through_seq FROM gone GROUP BY tenant_id LOOP
    IF EXISTS (SELECT FROM stela_audit.removals r
                WHERE r.tenant_id = g.tenant_id AND r.txid = pg_current_xact_id() AND r.head_size < g.through_seq) THEN
      RAISE EXCEPTION 'cannot prune tenant % through seq %: an earlier removal in this transaction, at head %, would lose the entry recording it',
        g.tenant_id, g.through_seq, (SELECT min(r.head_size) FROM stela_audit.removals r WHERE r.tenant_id = g.tenant_id AND r.txid = pg_current_xact_id())
        USING ERRCODE = 'SA004',
              HINT = 'Commit the earlier erasure or prune first, then prune.';
    END IF;
    INSERT INTO stela_audit.removals (tenant_id, kind, head_size, through_seq)
    VALUES (g.tenant_id, 'prune', stela_audit.lock_head_size(g.tenant_id), g.through_seq);
  END LOOP;
  RETURN NULL;
END
$$;

-- Deleted disclosures: an erasure, one row per person, counting every field of theirs that went
-- (erase_subject() counts the same rows). A person none of whose deleted disclosures still has
-- its entry is skipped: those went with a prune (entries go only through prune(), recorded
-- above), or were never part of the chain at all.
CREATE OR REPLACE FUNCTION stela_audit.note_erased()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  INSERT INTO stela_audit.removals (tenant_id, kind, head_size, through_seq, subject_type, subject_id, fields)
  SELECT x.tenant_id, 'erasure', t.head_size, x.through_seq, x.subject_type, x.subject_id, x.fields
    FROM (SELECT g.tenant_id, g.subject_type, g.subject_id, max(g.seq) AS through_seq,
                 sum(CASE WHEN json_typeof(g.fields) = 'object' THEN (SELECT count(*) FROM json_object_keys(g.fields)) ELSE 0 END) AS fields,
                 bool_or(EXISTS (SELECT FROM stela_audit.entries e WHERE e.tenant_id = g.tenant_id AND e.seq = g.seq)) AS in_chain
            FROM gone g
           GROUP BY g.tenant_id, g.subject_type, g.subject_id) x
    JOIN (SELECT d.tenant_id, stela_audit.lock_head_size(d.tenant_id) AS head_size
            FROM (SELECT DISTINCT g.tenant_id FROM gone g) d) t ON t.tenant_id = x.tenant_id
   WHERE x.in_chain;
  RETURN NULL;
END
$$;

-- Disclosure fields are always a JSON object (the store writes nothing else). A planted scalar
-- or array would make erase_subject() fail for that person, which would block their erasure.
-- NOT VALID: rows already there are not checked; erase_subject() below counts them safely.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_constraint WHERE conrelid = 'stela_audit.disclosures'::regclass AND conname = 'fields_is_object') THEN
    ALTER TABLE stela_audit.disclosures ADD CONSTRAINT fields_is_object CHECK (json_typeof(fields) = 'object') NOT VALID;
  END IF;
END
$$;

-- 001's erase_subject(), counting a non-object \`fields\` as no fields instead of failing, the
-- same way note_erased() counts them; otherwise the same.
CREATE OR REPLACE FUNCTION stela_audit.erase_subject(p_tenant text, p_subject_type text, p_subject_id text,
                                                     OUT fields bigint, OUT entries bigint)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET stela_audit.erase_tenant = ''
SET stela_audit.erase_through = '0'
AS $$
BEGIN
  PERFORM set_config('stela_audit.erase_tenant', p_tenant, true);
  PERFORM set_config('stela_audit.erase_through', '9223372036854775807', true);
  WITH gone AS (
    DELETE FROM stela_audit.disclosures d
     WHERE d.tenant_id = p_tenant AND d.subject_type = p_subject_type AND d.subject_id = p_subject_id
    RETURNING d.seq, d.fields
  )
  SELECT (SELECT count(*) FROM gone, json_object_keys(CASE WHEN json_typeof(gone.fields) = 'object' THEN gone.fields ELSE '{}'::json END)),
         count(DISTINCT gone.seq)
    INTO fields, entries FROM gone;
END
$$;

-- 001's prune(), with the entries deleted before their disclosures (see above); otherwise the same.
CREATE OR REPLACE FUNCTION stela_audit.prune(p_tenant text, p_size bigint, p_chain_head bytea, p_compact_range bytea)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET stela_audit.prune_tenant = ''
SET stela_audit.prune_through = '0'
AS $$
DECLARE
  head_size bigint;
  already   bigint;
  deleted   bigint;
BEGIN
  SELECT h.size INTO head_size FROM stela_audit.heads h WHERE h.tenant_id = p_tenant FOR UPDATE;
  IF EXISTS (SELECT FROM stela_audit.retention_policies r WHERE r.tenant_id = p_tenant AND r.legal_hold) THEN
    RAISE EXCEPTION 'tenant % is under legal hold: nothing is pruned until the hold is lifted', p_tenant
      USING ERRCODE = 'SA002';
  END IF;
  SELECT p.size INTO already FROM stela_audit.pruned_prefixes p WHERE p.tenant_id = p_tenant;
  IF head_size IS NULL OR p_size IS NULL OR p_size <= coalesce(already, 0) OR p_size > head_size THEN
    RAISE EXCEPTION 'cannot prune tenant % through seq % (pruned through %, head at %)',
      p_tenant, p_size, coalesce(already, 0), coalesce(head_size, 0) USING ERRCODE = 'SA003';
  END IF;
  IF length(p_compact_range) <> 32 * length(replace(p_size::bit(64)::text, '0', '')) THEN
    RAISE EXCEPTION 'a compact range of % leaves has % nodes, got % bytes',
      p_size, length(replace(p_size::bit(64)::text, '0', '')), length(p_compact_range) USING ERRCODE = 'SA003';
  END IF;
  IF NOT EXISTS (SELECT FROM stela_audit.entries e WHERE e.tenant_id = p_tenant AND e.seq = p_size AND e.hash = p_chain_head) THEN
    RAISE EXCEPTION 'the chain head given is not the hash of entry % of tenant %', p_size, p_tenant USING ERRCODE = 'SA003';
  END IF;

  PERFORM set_config('stela_audit.prune_tenant', p_tenant, true);
  PERFORM set_config('stela_audit.prune_through', p_size::text, true);
  DELETE FROM stela_audit.entries e WHERE e.tenant_id = p_tenant AND e.seq <= p_size;
  GET DIAGNOSTICS deleted = ROW_COUNT;
  DELETE FROM stela_audit.disclosures d WHERE d.tenant_id = p_tenant AND d.seq <= p_size;

  INSERT INTO stela_audit.pruned_prefixes AS p (tenant_id, size, chain_head, compact_range)
  VALUES (p_tenant, p_size, p_chain_head, p_compact_range)
  ON CONFLICT (tenant_id) DO UPDATE
    SET size = excluded.size, chain_head = excluded.chain_head,
        compact_range = excluded.compact_range, pruned_at = now();
  RETURN deleted;
END
$$;

CREATE OR REPLACE TRIGGER note_removal AFTER DELETE ON stela_audit.entries
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION stela_audit.note_pruned();
CREATE OR REPLACE TRIGGER note_removal AFTER DELETE ON stela_audit.disclosures
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION stela_audit.note_erased();
ALTER TABLE stela_audit.entries ENABLE ALWAYS TRIGGER note_removal;
ALTER TABLE stela_audit.disclosures ENABLE ALWAYS TRIGGER note_removal;

-- A number in an entry's metadata, as text; NULL when it is missing, not a number, or the
-- metadata cannot be read (json that holds "\\u0000" cannot be turned into text).
CREATE OR REPLACE FUNCTION stela_audit.metadata_number(p_metadata json, p_key text)
RETURNS text
LANGUAGE plpgsql
IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF json_typeof(p_metadata -> p_key) = 'number' THEN
    RETURN p_metadata ->> p_key;
  END IF;
  RETURN NULL;
EXCEPTION
  WHEN untranslatable_character THEN RETURN NULL;
END
$$;

-- At COMMIT, for each removal: the entry that records it must lie after the removal (past
-- head_size; the removal's transaction holds the head from then on, so normally it appended
-- that entry itself), before the tenant's next removal in this transaction, and inside the head
-- as it stands now (a row inserted past the head is never exported, checkpointed or verified).
-- A writer that inserts rows past the head without the head's lock can place the record from
-- another transaction, or ahead of time; either way the chain holds an entry naming the removal.
CREATE OR REPLACE FUNCTION stela_audit.check_removal_recorded()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  upto bigint;
BEGIN
  upto := coalesce((SELECT h.size FROM stela_audit.heads h WHERE h.tenant_id = NEW.tenant_id), 0);
  upto := least(upto, coalesce((SELECT min(r.head_size) FROM stela_audit.removals r
                                 WHERE r.tenant_id = NEW.tenant_id AND r.txid = NEW.txid AND r.id > NEW.id
                                   AND r.head_size > NEW.head_size), upto));
  IF NEW.kind = 'prune' THEN
    IF EXISTS (SELECT FROM stela_audit.entries e
                WHERE e.tenant_id = NEW.tenant_id AND e.seq > NEW.head_size AND e.seq <= upto
                  AND e.action = 'retention.pruned' AND e.outcome = 'success'
                  AND stela_audit.metadata_number(e.metadata, 'pruned_through_seq') = NEW.through_seq::text) THEN
      RETURN NULL;
    END IF;
    RAISE EXCEPTION 'tenant % was pruned through seq % without a retention.pruned entry recording it', NEW.tenant_id, NEW.through_seq
      USING ERRCODE = 'SA004',
            HINT = 'Prune with applyRetention(), which appends that entry; a bare stela_audit.prune() is refused at commit.';
  END IF;
  -- Disclosures of entries that are gone went with a prune, which is recorded on its own.
  IF NEW.through_seq <= coalesce((SELECT p.size FROM stela_audit.pruned_prefixes p WHERE p.tenant_id = NEW.tenant_id), 0) THEN
    RETURN NULL;
  END IF;
  IF EXISTS (SELECT FROM stela_audit.entries e
              WHERE e.tenant_id = NEW.tenant_id AND e.seq > NEW.head_size AND e.seq <= upto
                AND e.action = 'privacy.erasure' AND e.outcome = 'success'
                AND e.target_type IS NOT DISTINCT FROM NEW.subject_type AND e.target_id IS NOT DISTINCT FROM NEW.subject_id
                AND stela_audit.metadata_number(e.metadata, 'fields_erased') = NEW.fields::text) THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION 'the personal data of % % in tenant % (% fields) was erased without a privacy.erasure entry recording it',
    NEW.subject_type, NEW.subject_id, NEW.tenant_id, NEW.fields
    USING ERRCODE = 'SA004',
          HINT = 'Erase with erase(), which appends that entry; a bare stela_audit.erase_subject() is refused at commit.';
END
$$;

-- Constraint triggers have no OR REPLACE.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_trigger WHERE tgrelid = 'stela_audit.removals'::regclass AND tgname = 'recorded') THEN
    CREATE CONSTRAINT TRIGGER recorded AFTER INSERT ON stela_audit.removals
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION stela_audit.check_removal_recorded();
  END IF;
END
$$;
ALTER TABLE stela_audit.removals ENABLE ALWAYS TRIGGER recorded;

REVOKE ALL ON FUNCTION stela_audit.lock_head_size(text), stela_audit.note_pruned(), stela_audit.note_erased(),
                       stela_audit.metadata_number(json, text), stela_audit.check_removal_recorded() FROM PUBLIC;
REVOKE ALL ON stela_audit.removals FROM PUBLIC, stela_audit_writer;
GRANT SELECT ON stela_audit.removals TO stela_audit_writer;
`,
  },

];
