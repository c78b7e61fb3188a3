-- @stela/audit-chain migration 002: every removal of audit data is recorded in the chain.
--
-- Pruning and erasure are the only ways audit data leaves the database (001). The audit log
-- appends a `retention.pruned` or `privacy.erasure` entry in the same transaction as each, but
-- the writer role can also call stela_audit.prune() and stela_audit.erase_subject() directly,
-- which would remove data and leave nothing in the chain to say so. From this migration on:
--
--   * an AFTER DELETE statement trigger on entries and on disclosures writes one row per removal
--     to stela_audit.removals: what went (a prune through seq N; an erasure of one person's
--     fields) and the tenant's head size at that moment;
--   * a deferred constraint trigger on removals refuses the COMMIT (SQLSTATE SA004) unless the
--     same transaction appended, after that head, the entry that names the removal: a
--     `retention.pruned` entry with metadata.pruned_through_seq = N, or a `privacy.erasure`
--     entry whose target is that person and whose metadata.fields_erased is the number of
--     fields removed.
--
-- The triggers sit on the tables, not inside the two functions, so running 001 again (which
-- replaces the functions) cannot switch the check off. Like every guard they are ENABLE ALWAYS.
-- Same requirements as 001: run as the owner role, in one transaction; running it again is
-- harmless.

CREATE TABLE IF NOT EXISTS stela_audit.removals (
  tenant_id    text COLLATE "C" NOT NULL,
  id           bigint GENERATED ALWAYS AS IDENTITY,
  kind         text NOT NULL CHECK (kind IN ('prune', 'erasure')),
  -- The head when the rows went: the recording entry must come after it.
  head_size    bigint NOT NULL,
  -- prune: entries 1..through_seq are gone.
  through_seq  bigint,
  -- erasure: whose fields, and how many.
  subject_type text COLLATE "C",
  subject_id   text COLLATE "C",
  fields       bigint,
  removed_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CHECK ((kind = 'prune' AND through_seq IS NOT NULL) OR (kind = 'erasure' AND fields IS NOT NULL))
);

CREATE OR REPLACE TRIGGER append_only BEFORE UPDATE OR DELETE ON stela_audit.removals
  FOR EACH ROW EXECUTE FUNCTION stela_audit.guard_forever();
CREATE OR REPLACE TRIGGER append_only_truncate BEFORE TRUNCATE ON stela_audit.removals
  FOR EACH STATEMENT EXECUTE FUNCTION stela_audit.guard_forever();
ALTER TABLE stela_audit.removals ENABLE ALWAYS TRIGGER append_only, ENABLE ALWAYS TRIGGER append_only_truncate;

-- Deleted entries: only prune() deletes them, one tenant and one prefix per statement, with
-- that tenant's head locked.
CREATE OR REPLACE FUNCTION stela_audit.note_pruned()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  INSERT INTO stela_audit.removals (tenant_id, kind, head_size, through_seq)
  SELECT g.tenant_id, 'prune', coalesce((SELECT h.size FROM stela_audit.heads h WHERE h.tenant_id = g.tenant_id), 0), max(g.seq)
    FROM gone g
   GROUP BY g.tenant_id;
  RETURN NULL;
END
$$;

-- Deleted disclosures: an erasure (one person) or part of a prune (recorded by note_pruned).
CREATE OR REPLACE FUNCTION stela_audit.note_erased()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF coalesce(current_setting('stela_audit.erase_tenant', true), '') = '' THEN
    RETURN NULL;
  END IF;
  -- erase_subject() does not lock the head itself (the audit log holds it already); take it, so
  -- no other transaction can append between this removal and its recording entry.
  PERFORM FROM stela_audit.heads h WHERE h.tenant_id IN (SELECT g.tenant_id FROM gone g) FOR UPDATE;
  INSERT INTO stela_audit.removals (tenant_id, kind, head_size, subject_type, subject_id, fields)
  SELECT g.tenant_id, 'erasure', coalesce((SELECT h.size FROM stela_audit.heads h WHERE h.tenant_id = g.tenant_id), 0),
         g.subject_type, g.subject_id, sum((SELECT count(*) FROM json_object_keys(g.fields)))
    FROM gone g
   GROUP BY g.tenant_id, g.subject_type, g.subject_id;
  RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER note_removal AFTER DELETE ON stela_audit.entries
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION stela_audit.note_pruned();
CREATE OR REPLACE TRIGGER note_removal AFTER DELETE ON stela_audit.disclosures
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION stela_audit.note_erased();
ALTER TABLE stela_audit.entries ENABLE ALWAYS TRIGGER note_removal;
ALTER TABLE stela_audit.disclosures ENABLE ALWAYS TRIGGER note_removal;

-- At COMMIT: the entry that records the removal must be there, and inside the chain. The
-- removal's transaction holds the tenant's head from the removal on, so an entry past head_size
-- is one it appended itself; it must also be within the head as it stands at COMMIT, because
-- append_entries() can insert rows without moving the head (the parts of a large batch), and a
-- row past the head is never exported, checkpointed or verified.
CREATE OR REPLACE FUNCTION stela_audit.check_removal_recorded()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  head bigint := (SELECT h.size FROM stela_audit.heads h WHERE h.tenant_id = NEW.tenant_id);
BEGIN
  IF NEW.kind = 'prune' THEN
    IF EXISTS (SELECT FROM stela_audit.entries e
                WHERE e.tenant_id = NEW.tenant_id AND e.seq > NEW.head_size AND e.seq <= head
                  AND e.action = 'retention.pruned'
                  AND e.metadata->>'pruned_through_seq' = NEW.through_seq::text) THEN
      RETURN NULL;
    END IF;
    RAISE EXCEPTION 'tenant % was pruned through seq % without a retention.pruned entry for it in the same transaction', NEW.tenant_id, NEW.through_seq
      USING ERRCODE = 'SA004',
            HINT = 'Prune with applyRetention(), which appends that entry; a bare stela_audit.prune() is refused at commit.';
  END IF;
  IF EXISTS (SELECT FROM stela_audit.entries e
              WHERE e.tenant_id = NEW.tenant_id AND e.seq > NEW.head_size AND e.seq <= head
                AND e.action = 'privacy.erasure'
                AND e.target_type IS NOT DISTINCT FROM NEW.subject_type AND e.target_id IS NOT DISTINCT FROM NEW.subject_id
                AND e.metadata->>'fields_erased' = NEW.fields::text) THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION 'the personal data of % % in tenant % (% fields) was erased without a privacy.erasure entry for it in the same transaction',
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

REVOKE ALL ON FUNCTION stela_audit.note_pruned(), stela_audit.note_erased(), stela_audit.check_removal_recorded() FROM PUBLIC;
REVOKE ALL ON stela_audit.removals FROM PUBLIC, stela_audit_writer;
GRANT SELECT ON stela_audit.removals TO stela_audit_writer;
