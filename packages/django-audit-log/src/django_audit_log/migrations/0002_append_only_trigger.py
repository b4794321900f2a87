"""On PostgreSQL, a trigger refuses UPDATE, DELETE and TRUNCATE of audit entries, so that raw SQL
cannot rewrite history either. Elsewhere this migration does nothing (the Python guard stands).

Replaced by 0005, which declares the table through django_basemodels.migration_ops.AppendOnly
(no session switch opens anything there).

Two exceptions, both narrow:
- DELETE and TRUNCATE pass while the transaction-local setting django_audit_log.maintenance is
  'on': the retention command (prune_audit_log) sets it with set_config(..., true) for its own
  transaction only.
- An UPDATE that only sets actor_id and/or target_content_type_id to NULL passes: that is
  Django's ON DELETE SET NULL when a user or a content type is deleted; the entry keeps its
  actor_display and target_repr.
"""

from django.db import migrations

TABLE = "django_audit_log_auditlog"

CREATE = f"""
CREATE OR REPLACE FUNCTION django_audit_log_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'TRUNCATE')
       AND coalesce(current_setting('django_audit_log.maintenance', true), '') = 'on' THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        IF (to_jsonb(NEW) - 'actor_id' - 'target_content_type_id')
               = (to_jsonb(OLD) - 'actor_id' - 'target_content_type_id')
           AND (NEW.actor_id IS NULL OR NEW.actor_id = OLD.actor_id)
           AND (NEW.target_content_type_id IS NULL
                OR NEW.target_content_type_id = OLD.target_content_type_id) THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION '% on % refused: audit entries are append-only', TG_OP, TG_TABLE_NAME
        USING HINT = 'Write a new entry; old entries leave only through prune_audit_log.';
END;
$$;
CREATE TRIGGER django_audit_log_append_only
    BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION django_audit_log_refuse_change();
CREATE TRIGGER django_audit_log_no_truncate
    BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION django_audit_log_refuse_change();
"""

DROP = f"""
DROP TRIGGER IF EXISTS django_audit_log_no_truncate ON {TABLE};
DROP TRIGGER IF EXISTS django_audit_log_append_only ON {TABLE};
DROP FUNCTION IF EXISTS django_audit_log_refuse_change();
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("django_audit_log", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
