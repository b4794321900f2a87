"""The database keeps the session clock on PostgreSQL; new sessions start running everywhere.

PostgreSQL: ``django_worklog_now()`` is the clock (the transaction's, ``now()``). A new row's
``started_at`` is set from it (or to the user's latest stop, when that is later, so one user's
sessions never overlap); a stop must be at ``greatest(django_worklog_now(), started_at)`` with
the whole seconds between start and stop as ``duration_seconds``. The UPDATE trigger of
migration 0002 keeps refusing changes to ``started_at`` and to stopped sessions.

PostgreSQL and SQLite: a row cannot be inserted already stopped.

The model's base manager becomes the guarded ``all_objects`` (state only, nothing in the database).
"""

from importlib import import_module

import django.db.models.manager
from django.db import migrations

TABLE = "django_worklog_worksession"
TIMES = "django_worklog_session_times"  # the UPDATE trigger and function of migration 0002
START = "django_worklog_session_start"
CLOCK = "django_worklog_now"
IMMUTABLE = "worklog_session_immutable: started_at, and stopped_at/duration_seconds once stopped"

POSTGRESQL_CREATE = f"""
CREATE OR REPLACE FUNCTION {CLOCK}() RETURNS timestamptz LANGUAGE sql STABLE AS 'SELECT now()';

CREATE OR REPLACE FUNCTION {START}() RETURNS trigger AS $$
BEGIN
    IF NEW.stopped_at IS NOT NULL OR NEW.duration_seconds IS NOT NULL THEN
        RAISE EXCEPTION 'worklog_session_clock: a new session runs (no stopped_at, no duration)'
            USING ERRCODE = 'check_violation';
    END IF;
    NEW.started_at := greatest(
        {CLOCK}(), (SELECT max(stopped_at) FROM {TABLE} WHERE user_id = NEW.user_id));
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {START} BEFORE INSERT ON {TABLE} FOR EACH ROW EXECUTE FUNCTION {START}();

CREATE OR REPLACE FUNCTION {TIMES}() RETURNS trigger AS $$
DECLARE
    stop timestamptz;
    seconds numeric;
BEGIN
    IF NEW.started_at IS DISTINCT FROM OLD.started_at
       OR (OLD.stopped_at IS NOT NULL AND (
           NEW.stopped_at IS DISTINCT FROM OLD.stopped_at
           OR NEW.duration_seconds IS DISTINCT FROM OLD.duration_seconds)) THEN
        RAISE EXCEPTION '{IMMUTABLE} (session %)', OLD.id USING ERRCODE = 'check_violation';
    END IF;
    IF OLD.stopped_at IS NULL AND (NEW.stopped_at IS NOT NULL OR NEW.duration_seconds IS NOT NULL)
    THEN
        stop := greatest({CLOCK}(), OLD.started_at);
        seconds := floor(extract(epoch FROM stop - OLD.started_at));
        IF NEW.stopped_at IS DISTINCT FROM stop OR NEW.duration_seconds IS DISTINCT FROM seconds
        THEN
            RAISE EXCEPTION 'worklog_session_clock: session % stops at % after % s by the '
                'transaction clock, not at % after % s', OLD.id, stop, seconds,
                NEW.stopped_at, NEW.duration_seconds USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""
POSTGRESQL_DROP = f"""
DROP TRIGGER IF EXISTS {START} ON {TABLE};
DROP FUNCTION IF EXISTS {START}();
DROP FUNCTION IF EXISTS {CLOCK}();
"""

SQLITE_CREATE = f"""
CREATE TRIGGER {START} BEFORE INSERT ON {TABLE}
FOR EACH ROW WHEN NEW.stopped_at IS NOT NULL OR NEW.duration_seconds IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'worklog_session_clock: a new session runs (no stopped_at, no duration)');
END;
"""
SQLITE_DROP = f"DROP TRIGGER IF EXISTS {START};"


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        # params=None: the SQL holds literal % (PL/pgSQL placeholders), not query parameters.
        schema_editor.execute(POSTGRESQL_CREATE, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE, params=None)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        previous = import_module("django_worklog.migrations.0002_session_times_trigger")
        schema_editor.execute(POSTGRESQL_DROP, params=None)
        # Back to migration 0002's UPDATE check (its function, without the clock).
        function = previous.POSTGRESQL_CREATE.split("CREATE TRIGGER")[0]
        schema_editor.execute(function, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("django_worklog", "0002_session_times_trigger")]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
        # The guarded all_objects manager becomes the base manager (no database change).
        migrations.AlterModelOptions(
            name="worksession",
            options={"base_manager_name": "all_objects", "ordering": ["-started_at"]},
        ),
        migrations.AlterModelManagers(
            name="worksession",
            managers=[
                ("objects", django.db.models.manager.Manager()),
                ("all_objects", django.db.models.manager.Manager()),
            ],
        ),
    ]
