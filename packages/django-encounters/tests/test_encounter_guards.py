"""An encounter's state moves only through transition(); every ORM path keeps that true."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from django_encounters import (
    Encounter,
    EncounterTransition,
    ImmutableHistoryError,
    InvalidTransitionError,
    StateChangeError,
    transition,
)

pytestmark = pytest.mark.django_db


def test_changing_state_by_save_is_refused(encounter):
    encounter.state = "completed"
    with pytest.raises(StateChangeError, match="'state' cannot be changed") as info:
        encounter.save()
    assert info.value.encounter is encounter
    assert Encounter.objects.get(pk=encounter.pk).state == "scheduled"


def test_changing_definition_by_save_is_refused(encounter, visit_fields):
    from django_encounters import EncounterDefinition

    other = EncounterDefinition.objects.create(**{**visit_fields, "name": "B", "code": "B"})
    encounter.definition = other
    with pytest.raises(StateChangeError, match="'definition'"):
        encounter.save()


def test_a_stale_copy_cannot_put_an_old_state_back(encounter):
    """The 002 usage example saves an encounter after transitions; that must not undo them."""
    stale = Encounter.objects.get(pk=encounter.pk)
    transition(encounter, "checked_in")
    stale.notes = "edited elsewhere"
    stale.save()
    stored = Encounter.objects.get(pk=encounter.pk)
    assert (stored.state, stored.notes) == ("checked_in", "edited elsewhere")


def test_saving_after_refresh_works(encounter):
    copy = Encounter.objects.get(pk=encounter.pk)
    transition(encounter, "checked_in")
    copy.refresh_from_db()
    copy.started_at = timezone.now()
    copy.save()
    assert Encounter.objects.get(pk=encounter.pk).started_at == copy.started_at


def test_update_fields_naming_state_is_refused(encounter):
    with pytest.raises(StateChangeError):
        encounter.save(update_fields=["state"])


def test_queryset_update_of_state_is_refused(encounter):
    with pytest.raises(StateChangeError, match="'state'"):
        Encounter.objects.filter(pk=encounter.pk).update(state="completed")
    assert Encounter.objects.filter(pk=encounter.pk).update(notes="fine") == 1


def test_bulk_update_of_state_is_refused(encounter):
    encounter.state = "completed"
    with pytest.raises(StateChangeError):
        Encounter.objects.bulk_update([encounter], ["state"])
    assert Encounter.objects.get(pk=encounter.pk).state == "scheduled"


def test_update_paths_refuse_state_since_like_save_does(encounter):
    """state_since bounds how far transition() may backdate: only transition() writes it."""
    entered = Encounter.objects.get(pk=encounter.pk).state_since
    earlier = entered - timedelta(days=30)
    with pytest.raises(StateChangeError, match="'state_since'"):
        encounter.save(update_fields=["state_since"])
    with pytest.raises(StateChangeError, match="'state_since'"):
        Encounter.objects.filter(pk=encounter.pk).update(state_since=earlier)
    encounter.state_since = earlier
    with pytest.raises(StateChangeError, match="'state_since'"):
        Encounter.objects.bulk_update([encounter], ["state_since"])
    with pytest.raises(StateChangeError, match="'definition_id'"):
        Encounter.objects.filter(pk=encounter.pk).update(definition_id=encounter.definition_id)
    assert Encounter.objects.get(pk=encounter.pk).state_since == entered


def test_creation_in_an_undeclared_state_is_refused(definition, patient):
    with pytest.raises(InvalidTransitionError, match=r"'teleported'.*expected one of"):
        Encounter.objects.create(definition=definition, subject=patient, state="teleported")
    assert not Encounter.all_objects.exists()


def test_bulk_create_records_every_creation_in_two_inserts(
    definition, patient, django_assert_num_queries
):
    encounters = [Encounter(definition=definition, subject=patient) for _ in range(5)]
    # savepoint, [definition read under a key-share lock on PostgreSQL], 2 inserts, release
    with django_assert_num_queries(5 if connection.vendor == "postgresql" else 4):
        Encounter.objects.bulk_create(encounters)
    assert Encounter.objects.filter(state="scheduled").count() == 5
    rows = EncounterTransition.objects.filter(encounter__in=encounters)
    assert sorted(rows.values_list("from_state", "to_state")) == [("", "scheduled")] * 5


def test_bulk_create_refuses_ignore_conflicts(definition, patient):
    with pytest.raises(ImmutableHistoryError):
        Encounter.objects.bulk_create(
            [Encounter(definition=definition, subject=patient)], ignore_conflicts=True
        )


def test_saving_a_partly_loaded_encounter_writes_only_what_was_loaded(
    encounter, django_assert_num_queries
):
    partial = Encounter.objects.only("id", "notes").get(pk=encounter.pk)
    partial.notes = "partial"
    with django_assert_num_queries(1):
        partial.save()
    stored = Encounter.objects.get(pk=encounter.pk)
    assert (stored.notes, stored.state) == ("partial", "scheduled")
