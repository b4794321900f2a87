"""PostgreSQL only: a trigger that makes encounter transitions append-only in the database.

UPDATE and DELETE are refused, whatever the client. The one UPDATE allowed is Django's
``on_delete=SET_NULL`` when the user in ``transitioned_by`` is deleted: only that column may
change, and only to NULL. Other databases rely on the Python guards of the models.

Replaced by 0003, which declares the table through django_basemodels.migration_ops.AppendOnly
(TRUNCATE refused too).
"""

from django.db import migrations

from django_basemodels.migration_ops import PostgreSQLOnlySQL

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


class Migration(migrations.Migration):
    dependencies = [("django_encounters", "0001_initial")]

    operations = [PostgreSQLOnlySQL(sql=CREATE, reverse_sql=DROP)]
