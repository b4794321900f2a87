"""PostgreSQL only: a trigger that makes encounter transitions append-only in the database.

UPDATE and DELETE are refused, whatever the client. The one UPDATE allowed is Django's
``on_delete=SET_NULL`` when the user in ``transitioned_by`` is deleted: only that column may
change, and only to NULL. Other databases rely on the Python guards of the models.
"""

from django.db import migrations

TABLE = "django_encounters_encountertransition"

CREATE = f"""
CREATE OR REPLACE FUNCTION django_encounters_transition_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW.transitioned_by_id IS NULL
       AND (to_jsonb(NEW) - 'transitioned_by_id') = (to_jsonb(OLD) - 'transitioned_by_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'encounter transitions are append-only: % refused on %', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER django_encounters_transition_append_only
    BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION django_encounters_transition_append_only();
"""

DROP = f"""
DROP TRIGGER IF EXISTS django_encounters_transition_append_only ON {TABLE};
DROP FUNCTION IF EXISTS django_encounters_transition_append_only();
"""


class PostgreSQLOnlyRunSQL(migrations.RunSQL):
    """RunSQL that does nothing on databases other than PostgreSQL."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("django_encounters", "0001_initial")]

    operations = [PostgreSQLOnlyRunSQL(sql=CREATE, reverse_sql=DROP)]
