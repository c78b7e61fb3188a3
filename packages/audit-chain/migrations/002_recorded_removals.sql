-- @stela/audit-chain migration 002: every removal of audit data is recorded in the chain.
--
-- Pruning and erasure are the only ways audit data leaves the database (001). The audit log
-- appends a `retention.pruned` or `privacy.erasure` entry in the same transaction as each, but
-- the writer role can also call stela_audit.prune() and stela_audit.erase_subject() directly,
-- which would remove data and leave nothing in the chain to say so. From this migration on:
--
--   * an AFTER DELETE statement trigger on entries and on disclosures writes one row per removal
--     to stela_audit.removals: what went (a prune through seq N; one person's erased fields) and
--     the tenant's head at that moment;
--   * a deferred constraint trigger on removals refuses the COMMIT (SQLSTATE SA004) unless, for
--     each removal, the chain holds the entry that names it, appended after the removal (normally
--     by the same transaction, which holds the head), before that tenant's next removal that
--     follows an append in the transaction, and inside the head at COMMIT: a successful `retention.pruned`
--     entry with metadata.pruned_through_seq = N, or a successful `privacy.erasure` entry whose
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

-- 001's erase_subject(), counting a non-object `fields` as no fields instead of failing, the
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
-- metadata cannot be read (json that holds "\u0000" cannot be turned into text).
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
