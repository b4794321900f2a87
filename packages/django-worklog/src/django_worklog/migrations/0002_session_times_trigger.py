"""A database trigger that keeps session times immutable, also for raw SQL.

``started_at`` never changes; once ``stopped_at`` is set, neither it nor ``duration_seconds``
changes again. Installed on PostgreSQL and SQLite; elsewhere the model and queryset guards are
the only ones (system check worklog.W002 says so). Note that a later migration that rebuilds the
table on SQLite drops the trigger and must create it again.
"""

from django.db import migrations

TABLE = "django_worklog_worksession"
NAME = "django_worklog_session_times"
MESSAGE = "worklog_session_immutable: started_at, and stopped_at/duration_seconds once stopped"

POSTGRESQL_CREATE = f"""
CREATE OR REPLACE FUNCTION {NAME}() RETURNS trigger AS $$
BEGIN
    IF NEW.started_at IS DISTINCT FROM OLD.started_at
       OR (OLD.stopped_at IS NOT NULL AND (
           NEW.stopped_at IS DISTINCT FROM OLD.stopped_at
           OR NEW.duration_seconds IS DISTINCT FROM OLD.duration_seconds)) THEN
        RAISE EXCEPTION '{MESSAGE} (session %)', OLD.id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {NAME} BEFORE UPDATE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION {NAME}();
"""
POSTGRESQL_DROP = f"DROP TRIGGER IF EXISTS {NAME} ON {TABLE}; DROP FUNCTION IF EXISTS {NAME}();"

SQLITE_CREATE = f"""
CREATE TRIGGER {NAME} BEFORE UPDATE ON {TABLE}
FOR EACH ROW WHEN NEW.started_at IS NOT OLD.started_at
    OR (OLD.stopped_at IS NOT NULL AND (
        NEW.stopped_at IS NOT OLD.stopped_at
        OR NEW.duration_seconds IS NOT OLD.duration_seconds))
BEGIN
    SELECT RAISE(ABORT, '{MESSAGE}');
END;
"""
SQLITE_DROP = f"DROP TRIGGER IF EXISTS {NAME};"

STATEMENTS = {
    "postgresql": (POSTGRESQL_CREATE, POSTGRESQL_DROP),
    "sqlite": (SQLITE_CREATE, SQLITE_DROP),
}


def _run(apps, schema_editor, index):
    statements = STATEMENTS.get(schema_editor.connection.vendor)
    if statements is not None:
        # params=None: the SQL holds a literal % (PL/pgSQL placeholder), not a query parameter.
        schema_editor.execute(statements[index], params=None)


def create_trigger(apps, schema_editor):
    _run(apps, schema_editor, 0)


def drop_trigger(apps, schema_editor):
    _run(apps, schema_editor, 1)


class Migration(migrations.Migration):
    dependencies = [("django_worklog", "0001_initial")]

    operations = [migrations.RunPython(create_trigger, drop_trigger, elidable=False)]
