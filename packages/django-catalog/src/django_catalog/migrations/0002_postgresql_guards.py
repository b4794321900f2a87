"""PostgreSQL triggers: the dispense log is append-only, work item status moves follow the chart.

They stop raw SQL and anything else that skips the ORM. Other databases rely on the Python
guards in the models and querysets, so on them this migration does nothing. The dispense-log
trigger is replaced by 0003 (django_basemodels.migration_ops.AppendOnly, TRUNCATE refused too).
"""

from django.db import migrations

from django_basemodels.migration_ops import PostgreSQLOnlySQL

DISPENSE_LOG_APPEND_ONLY = """
CREATE OR REPLACE FUNCTION django_catalog_dispenselog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'django_catalog_dispenselog is append-only: % refused', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER django_catalog_dispenselog_append_only
    BEFORE UPDATE OR DELETE ON django_catalog_dispenselog
    FOR EACH ROW EXECUTE FUNCTION django_catalog_dispenselog_append_only();
"""

DROP_DISPENSE_LOG_APPEND_ONLY = """
DROP TRIGGER IF EXISTS django_catalog_dispenselog_append_only ON django_catalog_dispenselog;
DROP FUNCTION IF EXISTS django_catalog_dispenselog_append_only();
"""

WORK_ITEM_STATUS_MOVES = """
CREATE OR REPLACE FUNCTION django_catalog_workitem_status_moves() RETURNS trigger AS $$
BEGIN
    IF NEW.status IS DISTINCT FROM OLD.status AND NOT (
        (OLD.status = 'pending' AND NEW.status IN ('in_progress', 'cancelled'))
        OR (OLD.status = 'in_progress' AND NEW.status IN ('completed', 'cancelled'))
    ) THEN
        RAISE EXCEPTION 'work item % cannot move from % to %', OLD.id, OLD.status, NEW.status
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER django_catalog_workitem_status_moves
    BEFORE UPDATE OF status ON django_catalog_workitem
    FOR EACH ROW EXECUTE FUNCTION django_catalog_workitem_status_moves();
"""

DROP_WORK_ITEM_STATUS_MOVES = """
DROP TRIGGER IF EXISTS django_catalog_workitem_status_moves ON django_catalog_workitem;
DROP FUNCTION IF EXISTS django_catalog_workitem_status_moves();
"""


class Migration(migrations.Migration):
    dependencies = [("django_catalog", "0001_initial")]

    operations = [
        PostgreSQLOnlySQL(DISPENSE_LOG_APPEND_ONLY, DROP_DISPENSE_LOG_APPEND_ONLY),
        PostgreSQLOnlySQL(WORK_ITEM_STATUS_MOVES, DROP_WORK_ITEM_STATUS_MOVES),
    ]
