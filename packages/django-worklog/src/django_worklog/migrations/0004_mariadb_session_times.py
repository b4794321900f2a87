"""Session times are immutable on MariaDB too, also for raw SQL.

The triggers of migration 0002 and 0003 for MariaDB, with the same messages: ``started_at``
never changes, and once ``stopped_at`` is set neither it nor ``duration_seconds`` changes again
(``worklog_session_immutable``); a row cannot be inserted already stopped
(``worklog_session_clock``). They ``SIGNAL SQLSTATE '45000'`` with ``MYSQL_ERRNO`` 4025 (MariaDB's
number for a failed CHECK), so Django raises ``IntegrityError`` as on PostgreSQL. The clock
itself stays the application server's on MariaDB (``server_now()``). Soft delete and DELETE stay
allowed, as on PostgreSQL. Reversible; elsewhere it does nothing.
"""

from django.db import migrations

TABLE = "django_worklog_worksession"
TIMES = "django_worklog_session_times"
START = "django_worklog_session_start"
IMMUTABLE = "worklog_session_immutable: started_at, and stopped_at/duration_seconds once stopped"
RUNNING = "worklog_session_clock: a new session runs (no stopped_at, no duration)"

MARIADB_CREATE = [
    f"""CREATE TRIGGER {TIMES} BEFORE UPDATE ON {TABLE} FOR EACH ROW
BEGIN
    DECLARE message VARCHAR(512);
    IF NOT (NEW.started_at <=> OLD.started_at)
       OR (OLD.stopped_at IS NOT NULL AND (
           NOT (NEW.stopped_at <=> OLD.stopped_at)
           OR NOT (NEW.duration_seconds <=> OLD.duration_seconds))) THEN
        SET message = CONCAT('{IMMUTABLE} (session ', OLD.id, ')');
        SIGNAL SQLSTATE '45000' SET MYSQL_ERRNO = 4025, MESSAGE_TEXT = message;
    END IF;
END""",
    f"""CREATE TRIGGER {START} BEFORE INSERT ON {TABLE} FOR EACH ROW
BEGIN
    IF NEW.stopped_at IS NOT NULL OR NEW.duration_seconds IS NOT NULL THEN
        SIGNAL SQLSTATE '45000' SET MYSQL_ERRNO = 4025, MESSAGE_TEXT = '{RUNNING}';
    END IF;
END""",
]
MARIADB_DROP = [f"DROP TRIGGER IF EXISTS {START}", f"DROP TRIGGER IF EXISTS {TIMES}"]


def _run(schema_editor, statements):
    if schema_editor.connection.vendor == "mysql":
        for statement in statements:
            schema_editor.execute(statement, params=None)


def create(apps, schema_editor):
    _run(schema_editor, MARIADB_CREATE)


def drop(apps, schema_editor):
    _run(schema_editor, MARIADB_DROP)


class Migration(migrations.Migration):
    dependencies = [("django_worklog", "0003_server_clock")]

    # atomic=False: MariaDB cannot roll DDL back, and Django refuses DDL inside a transaction there.
    operations = [migrations.RunPython(create, drop, elidable=False, atomic=False)]
