"""Transitions are written by the package's services only.

- ``Encounter.latest_transition_id`` names the transition that entered the current state; it is
  filled in here for existing encounters.
- On PostgreSQL, a trigger accepts a new transition row only when its encounter already names it
  (``transition()`` and the creation of an encounter write the encounter row first), so a row
  made by hand, even in raw SQL, is refused. Other databases rely on the Python guard.
- One creation record per encounter; the guarded managers become the base managers.
"""

import django.db.models.manager
from django.conf import settings
from django.db import migrations, models

from django_basemodels.migration_ops import PostgreSQLOnlySQL

TRANSITIONS = "django_encounters_encountertransition"
ENCOUNTERS = "django_encounters_encounter"

CREATE = f"""
CREATE OR REPLACE FUNCTION django_encounters_transition_written_by_package() RETURNS trigger AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM {ENCOUNTERS}
        WHERE id = NEW.encounter_id AND latest_transition_id = NEW.id AND state = NEW.to_state
    ) THEN
        RAISE EXCEPTION 'encounter transitions are written by the package services only: %',
            format('encounter %s does not name transition %s as its latest', NEW.encounter_id, NEW.id)
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER django_encounters_transition_written_by_package
    BEFORE INSERT ON {TRANSITIONS}
    FOR EACH ROW EXECUTE FUNCTION django_encounters_transition_written_by_package();
"""

DROP = f"""
DROP TRIGGER IF EXISTS django_encounters_transition_written_by_package ON {TRANSITIONS};
DROP FUNCTION IF EXISTS django_encounters_transition_written_by_package();
"""


def name_latest_transitions(apps, schema_editor):
    """Each existing encounter names its latest transition (one UPDATE)."""
    Encounter = apps.get_model("django_encounters", "Encounter")
    EncounterTransition = apps.get_model("django_encounters", "EncounterTransition")
    latest = (
        EncounterTransition.objects.filter(encounter_id=models.OuterRef("pk"))
        .order_by("-effective_at", "-transitioned_at")
        .values("pk")[:1]
    )
    Encounter.objects.using(schema_editor.connection.alias).update(
        latest_transition_id=models.Subquery(latest)
    )


class Migration(migrations.Migration):

    dependencies = [
        ('django_encounters', '0002_transition_append_only_trigger'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='encounter',
            options={'base_manager_name': 'all_objects', 'ordering': ['-created_at'], 'verbose_name': 'encounter', 'verbose_name_plural': 'encounters'},
        ),
        migrations.AlterModelOptions(
            name='encounterdefinition',
            options={'base_manager_name': 'all_objects', 'ordering': ['name'], 'verbose_name': 'encounter definition', 'verbose_name_plural': 'encounter definitions'},
        ),
        migrations.AlterModelOptions(
            name='encountertransition',
            options={'base_manager_name': 'objects', 'ordering': ['-transitioned_at'], 'verbose_name': 'encounter transition', 'verbose_name_plural': 'encounter transitions'},
        ),
        migrations.AlterModelManagers(
            name='encounter',
            managers=[
                ('objects', django.db.models.manager.Manager()),
                ('all_objects', django.db.models.manager.Manager()),
            ],
        ),
        migrations.AlterModelManagers(
            name='encounterdefinition',
            managers=[
                ('objects', django.db.models.manager.Manager()),
                ('all_objects', django.db.models.manager.Manager()),
            ],
        ),
        migrations.AddField(
            model_name='encounter',
            name='latest_transition_id',
            field=models.UUIDField(blank=True, editable=False, help_text='The transition that entered the current state (set by the package only)', null=True),
        ),
        migrations.AddConstraint(
            model_name='encountertransition',
            constraint=models.UniqueConstraint(condition=models.Q(('from_state', '')), fields=('encounter',), name='encounters_one_creation_record'),
        ),
        migrations.RunPython(name_latest_transitions, migrations.RunPython.noop),
        PostgreSQLOnlySQL(sql=CREATE, reverse_sql=DROP),
    ]
