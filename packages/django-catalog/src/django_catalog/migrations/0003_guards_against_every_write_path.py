"""PostgreSQL triggers that keep the basket, work item and dispense rules against raw SQL and any
ORM path that skips the package's guards; and the guarded managers become the base managers.

- a basket is inserted as a draft and moves only draft -> committed | cancelled;
- an item is inserted only into a live draft basket, moves only between live drafts, and never
  comes back (restore) into a committed basket; the basket row is locked (FOR SHARE) while this
  is checked, so a concurrent commit waits for the writer, or the writer for the commit;
- a work item is inserted only for an item of a committed basket, in that basket, and is never
  re-pointed to another basket or item;
- a dispense is inserted only for an open stock work item and never past the ordered quantity;
  the work item row is locked (FOR UPDATE), so concurrent dispenses are counted one after the
  other.

Other databases rely on the Python guards (models and querysets); there this migration changes
only the migration state (base managers).
"""

import django.db.models.manager
from django.db import migrations

from django_basemodels.migration_ops import PostgreSQLOnlySQL

BASKET = "django_catalog_basket"
ITEM = "django_catalog_basketitem"
WORK = "django_catalog_workitem"
DISPENSE = "django_catalog_dispenselog"

BASKET_STATUS = f"""
CREATE OR REPLACE FUNCTION {BASKET}_status() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' AND NEW.status <> 'draft' THEN
        RAISE EXCEPTION 'basket % cannot start as %; expected draft', NEW.id, NEW.status
            USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.status IS DISTINCT FROM OLD.status
       AND NOT (OLD.status = 'draft' AND NEW.status IN ('committed', 'cancelled')) THEN
        RAISE EXCEPTION 'basket % cannot move from % to %', OLD.id, OLD.status, NEW.status
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {BASKET}_status BEFORE INSERT OR UPDATE OF status ON {BASKET}
    FOR EACH ROW EXECUTE FUNCTION {BASKET}_status();
"""

ITEM_IN_DRAFT = f"""
CREATE OR REPLACE FUNCTION {ITEM}_in_draft() RETURNS trigger AS $$
DECLARE
    target record;
    source record;
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.basket_id IS NOT DISTINCT FROM OLD.basket_id THEN
        IF OLD.deleted_at IS NOT NULL AND NEW.deleted_at IS NULL THEN
            SELECT status INTO target FROM {BASKET} WHERE id = NEW.basket_id FOR SHARE;
            IF target.status = 'committed' THEN
                RAISE EXCEPTION 'basket item % cannot come back: basket % is committed',
                    OLD.id, NEW.basket_id USING ERRCODE = 'check_violation';
            END IF;
        END IF;
        RETURN NEW;
    END IF;
    SELECT status, deleted_at INTO target FROM {BASKET} WHERE id = NEW.basket_id FOR SHARE;
    IF FOUND AND (target.status <> 'draft' OR target.deleted_at IS NOT NULL) THEN
        RAISE EXCEPTION 'basket % is % (deleted: %); expected a live draft to take item %',
            NEW.basket_id, target.status, target.deleted_at IS NOT NULL, NEW.id
            USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'UPDATE' THEN
        SELECT status, deleted_at INTO source FROM {BASKET} WHERE id = OLD.basket_id FOR SHARE;
        IF source.status <> 'draft' OR source.deleted_at IS NOT NULL THEN
            RAISE EXCEPTION 'basket % is % (deleted: %); expected a live draft to give item %',
                OLD.basket_id, source.status, source.deleted_at IS NOT NULL, OLD.id
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {ITEM}_in_draft BEFORE INSERT OR UPDATE ON {ITEM}
    FOR EACH ROW EXECUTE FUNCTION {ITEM}_in_draft();
"""

WORK_SPAWNED = f"""
CREATE OR REPLACE FUNCTION {WORK}_spawned() RETURNS trigger AS $$
DECLARE
    item record;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NEW.basket_id IS DISTINCT FROM OLD.basket_id
           OR NEW.basket_item_id IS DISTINCT FROM OLD.basket_item_id THEN
            RAISE EXCEPTION 'work item % cannot be re-pointed to another basket or item', OLD.id
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END IF;
    SELECT i.basket_id, b.status INTO item
        FROM {ITEM} i JOIN {BASKET} b ON b.id = i.basket_id WHERE i.id = NEW.basket_item_id;
    IF NOT FOUND OR item.basket_id IS DISTINCT FROM NEW.basket_id
       OR item.status <> 'committed' THEN
        RAISE EXCEPTION 'work item for basket item % refused: work items are spawned by '
            'commit_basket() for the items of a committed basket', NEW.basket_item_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {WORK}_spawned BEFORE INSERT OR UPDATE OF basket_id, basket_item_id ON {WORK}
    FOR EACH ROW EXECUTE FUNCTION {WORK}_spawned();
"""

DISPENSE_WITHIN_ORDER = f"""
CREATE OR REPLACE FUNCTION {DISPENSE}_within_order() RETURNS trigger AS $$
DECLARE
    work record;
    given bigint;
BEGIN
    SELECT quantity, kind, status INTO work FROM {WORK} WHERE id = NEW.work_item_id FOR UPDATE;
    IF NOT FOUND THEN
        RETURN NEW;  -- the foreign key reports it
    END IF;
    IF work.kind <> 'stock_item' OR work.status NOT IN ('pending', 'in_progress') THEN
        RAISE EXCEPTION 'work item % is a % in status %; expected an open stock_item',
            NEW.work_item_id, work.kind, work.status USING ERRCODE = 'check_violation';
    END IF;
    SELECT coalesce(sum(quantity), 0) INTO given FROM {DISPENSE}
        WHERE work_item_id = NEW.work_item_id;
    IF given + NEW.quantity > work.quantity THEN
        RAISE EXCEPTION 'dispensing % for work item % exceeds the % ordered (% dispensed)',
            NEW.quantity, NEW.work_item_id, work.quantity, given
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {DISPENSE}_within_order BEFORE INSERT ON {DISPENSE}
    FOR EACH ROW EXECUTE FUNCTION {DISPENSE}_within_order();
"""


def drop(table, name):
    return f"DROP TRIGGER IF EXISTS {name} ON {table}; DROP FUNCTION IF EXISTS {name}();"


def guarded_managers():
    return [
        ("objects", django.db.models.manager.Manager()),
        ("all_objects", django.db.models.manager.Manager()),
    ]


class Migration(migrations.Migration):
    dependencies = [("django_catalog", "0002_postgresql_guards")]

    operations = [
        PostgreSQLOnlySQL(BASKET_STATUS, drop(BASKET, f"{BASKET}_status")),
        PostgreSQLOnlySQL(ITEM_IN_DRAFT, drop(ITEM, f"{ITEM}_in_draft")),
        PostgreSQLOnlySQL(WORK_SPAWNED, drop(WORK, f"{WORK}_spawned")),
        PostgreSQLOnlySQL(DISPENSE_WITHIN_ORDER, drop(DISPENSE, f"{DISPENSE}_within_order")),
        # The guarded managers become the base managers (no database change).
        migrations.AlterModelOptions(
            name="basket",
            options={"base_manager_name": "all_objects", "ordering": ["-created_at"]},
        ),
        migrations.AlterModelOptions(
            name="basketitem",
            options={"base_manager_name": "all_objects", "ordering": ["created_at", "id"]},
        ),
        migrations.AlterModelOptions(
            name="dispenselog",
            options={"base_manager_name": "objects", "ordering": ["dispensed_at", "id"]},
        ),
        migrations.AlterModelOptions(
            name="workitem",
            options={"base_manager_name": "objects", "ordering": ["-priority", "created_at", "id"]},
        ),
        migrations.AlterModelManagers(name="basket", managers=guarded_managers()),
        migrations.AlterModelManagers(name="basketitem", managers=guarded_managers()),
    ]
