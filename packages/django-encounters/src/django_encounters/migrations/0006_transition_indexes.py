"""Transitions at scale: an index for the paged history, no duplicate index, one-statement moves.

- ``encounters_history_idx`` (encounter, transitioned_at, effective_at, id) serves the history
  a page at a time (django_encounters.history) and the admin's latest rows.
- The foreign key's own index on ``encounter_id`` goes: both composite indexes start with that
  column, so every lookup by encounter (the PROTECT check included) uses one of them, and on
  MariaDB they are what the foreign key constraint needs (an index led by its column). The index
  is found by introspection, since its name was generated; where none exists nothing is dropped.
- PostgreSQL: the trigger that accepts a transition row only when its encounter names it as the
  latest now runs AFTER INSERT instead of BEFORE. It then sees the encounter as the whole
  statement left it, so ``transition()`` can update the encounter and insert the row in one
  statement (a data-modifying WITH). Rows made by hand are refused as before.
"""

from django.db import migrations, models

from django_basemodels.migration_ops import PostgreSQLOnlySQL

TRANSITIONS = "django_encounters_encountertransition"
FUNCTION = "django_encounters_transition_written_by_package"


def _trigger(when):
    return f"""
DROP TRIGGER IF EXISTS {FUNCTION} ON {TRANSITIONS};
CREATE TRIGGER {FUNCTION}
    {when} INSERT ON {TRANSITIONS}
    FOR EACH ROW EXECUTE FUNCTION {FUNCTION}();
"""


def drop_key_index(apps, schema_editor):
    model = apps.get_model("django_encounters", "EncounterTransition")
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    for name, details in constraints.items():
        if (
            details["index"]
            and not details["unique"]
            and not details["primary_key"]
            and details["columns"] == ["encounter_id"]
        ):
            schema_editor.execute(schema_editor._delete_index_sql(model, name))


def restore_key_index(apps, schema_editor):
    if schema_editor.connection.vendor == "mysql":
        return  # InnoDB keeps the foreign key's index itself
    model = apps.get_model("django_encounters", "EncounterTransition")
    schema_editor.add_index(
        model, models.Index(fields=["encounter"], name="encounters_transition_key_idx")
    )


class Migration(migrations.Migration):
    dependencies = [("django_encounters", "0005_mariadb_append_only")]

    operations = [
        migrations.AddIndex(
            model_name="encountertransition",
            index=models.Index(
                fields=["encounter", "transitioned_at", "effective_at", "id"],
                name="encounters_history_idx",
            ),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="encountertransition",
                    name="encounter",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=models.deletion.PROTECT,
                        related_name="transitions",
                        to="django_encounters.encounter",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop_key_index, restore_key_index)],
        ),
        PostgreSQLOnlySQL(sql=_trigger("AFTER"), reverse_sql=_trigger("BEFORE")),
    ]
