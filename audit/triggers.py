"""Database triggers: the audit log is append-only, and on PostgreSQL entries are linked into
their chain by the database itself, under a lock on their partition only."""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

POSTGRES_SQL = [
    """
    CREATE OR REPLACE FUNCTION audit_link_entry() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        head_seq bigint;
        head_hash bytea;
    BEGIN
        -- One writer per partition at a time, until its transaction ends (other partitions go on).
        PERFORM pg_advisory_xact_lock(1346458451, NEW.partition);
        -- The head is the partition's last entry; a new partition starts at its genesis hash,
        -- the same as audit.chain.genesis_hash(). Nothing is updated, so a transaction that
        -- writes many entries does not pile up row versions.
        SELECT seq, entry_hash INTO head_seq, head_hash
            FROM audit_auditevent WHERE partition = NEW.partition ORDER BY seq DESC LIMIT 1;
        IF NOT FOUND THEN
            head_seq := 0;
            head_hash := sha256(convert_to('passage-audit-genesis|' || NEW.partition, 'UTF8'));
        END IF;
        NEW.seq := head_seq + 1;
        NEW.prev_hash := head_hash;
        NEW.entry_hash := sha256(head_hash || convert_to(NEW.payload, 'UTF8'));
        RETURN NEW;
    END $$;
    """,
    "DROP TRIGGER IF EXISTS audit_link_entry ON audit_auditevent;",
    """CREATE TRIGGER audit_link_entry BEFORE INSERT ON audit_auditevent
       FOR EACH ROW EXECUTE FUNCTION audit_link_entry();""",
    """
    CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'the audit log is append-only: % is not allowed', TG_OP;
    END $$;
    """,
    "DROP TRIGGER IF EXISTS audit_append_only ON audit_auditevent;",
    """CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
       FOR EACH ROW EXECUTE FUNCTION audit_append_only();""",
]
# TRUNCATE fires no row trigger: a statement trigger refuses it too.
POSTGRES_TRUNCATE_SQL = [
    "DROP TRIGGER IF EXISTS audit_no_truncate ON audit_auditevent;",
    """CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit_auditevent
       FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();""",
]

SQLITE_SQL = [
    """CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: UPDATE is not allowed'); END;""",
    """CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: DELETE is not allowed'); END;""",
]


def install(connection: BaseDatabaseWrapper, *, flushable: bool = False) -> None:
    """Install the triggers. `flushable` (test databases only) leaves out what would stop Django's
    test runner from emptying tables between tests: TRUNCATE on PostgreSQL, DELETE on SQLite."""
    if connection.vendor == "postgresql":
        statements = POSTGRES_SQL + ([] if flushable else POSTGRES_TRUNCATE_SQL)
    else:
        statements = [] if flushable else SQLITE_SQL
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def remove_sqlite(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS audit_no_update")
        cursor.execute("DROP TRIGGER IF EXISTS audit_no_delete")
