"""On PostgreSQL, the entry writer takes the whole entry as one jsonb document.

0003's writer took fifteen parameters, each prepared in Python and quoted by the driver on every
tracked save; one document, encoded in a single call, cost about 10 µs less CPU in the Python
process per tracked save in an interleaved A/B run (the server's share did not move measurably).
``jsonb_populate_record`` maps the document's keys to the table's columns by name, so the writer
follows the table when a column is added; a key it does not know is ignored, a column it is not
given is NULL.

Replaces 0003's ``django_audit_log_write``; elsewhere this migration does nothing.
"""

import importlib

from django.db import migrations

TABLE = "django_audit_log_auditlog"

CREATE = f"""
CREATE OR REPLACE FUNCTION django_audit_log_write_entry(entry jsonb) RETURNS boolean
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    INSERT INTO {TABLE} SELECT * FROM jsonb_populate_record(NULL::{TABLE}, entry);
    RETURN true;
END;
$$;
"""

DROP = "DROP FUNCTION IF EXISTS django_audit_log_write_entry(jsonb)"


def _previous_writer():
    return importlib.import_module("django_audit_log.migrations.0003_entry_writer")


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _previous_writer().uninstall(apps, schema_editor)
        schema_editor.execute(CREATE, params=None)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)
        _previous_writer().install(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("django_audit_log", "0003_entry_writer")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
