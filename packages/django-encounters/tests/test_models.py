"""The specified model tests: EncounterDefinition, Encounter, EncounterTransition."""

import uuid
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from django_encounters import (
    DuplicateDefinitionError,
    Encounter,
    EncounterDefinition,
    EncounterError,
    EncounterTransition,
    create_encounter,
    transition,
)

pytestmark = pytest.mark.django_db


def make_encounter(definition, subject, **fields):
    return Encounter.objects.create(definition=definition, subject=subject, **fields)


# -- EncounterDefinition ------------------------------------------------------------------------


def test_definition_creation(definition):
    stored = EncounterDefinition.objects.get(code="VISIT")
    assert stored.name == "Patient Visit"
    assert stored.initial_state == "scheduled"
    assert stored.description == ""
    assert stored.validators == []
    assert stored.created_at is not None


def test_definition_has_uuid_pk(definition):
    assert isinstance(definition.pk, uuid.UUID)
    assert EncounterDefinition._meta.pk.name == "id"


def test_definition_unique_name(definition, visit_fields):
    visit_fields["code"] = "OTHER"
    with pytest.raises(IntegrityError) as info, transaction.atomic():
        EncounterDefinition.objects.create(**visit_fields)
    assert isinstance(info.value, DuplicateDefinitionError)
    assert (info.value.field, info.value.value) == ("name", "Patient Visit")
    assert EncounterDefinition.objects.count() == 1


def test_definition_unique_code(definition, visit_fields):
    visit_fields["name"] = "Another name"
    with pytest.raises(IntegrityError) as info, transaction.atomic():
        EncounterDefinition.objects.create(**visit_fields)
    assert isinstance(info.value, DuplicateDefinitionError)
    assert (info.value.field, info.value.value) == ("code", "VISIT")
    assert EncounterDefinition.objects.count() == 1


def test_definition_states_json(definition):
    definition.refresh_from_db()
    assert definition.states == ["scheduled", "checked_in", "in_progress", "completed", "cancelled"]
    assert isinstance(definition.final_states, list)


def test_definition_transitions_json(definition):
    definition.refresh_from_db()
    assert definition.transitions["scheduled"] == ["checked_in", "cancelled"]
    assert set(definition.transitions) == {"scheduled", "checked_in", "in_progress"}


def test_definition_is_valid_state(definition):
    assert definition.is_valid_state("checked_in")


def test_definition_is_valid_state_false(definition):
    assert not definition.is_valid_state("teleported")


def test_definition_is_final_state(definition):
    assert definition.is_final_state("completed")
    assert definition.is_final_state("cancelled")
    assert not definition.is_final_state("scheduled")


def test_definition_is_valid_transition(definition):
    assert definition.is_valid_transition("scheduled", "checked_in")
    assert definition.is_valid_transition("in_progress", "completed")


def test_definition_is_valid_transition_false(definition):
    assert not definition.is_valid_transition("scheduled", "completed")
    assert not definition.is_valid_transition("completed", "scheduled")
    assert not definition.is_valid_transition("nowhere", "scheduled")


def test_definition_get_allowed_transitions(definition):
    assert definition.get_allowed_transitions("checked_in") == ["in_progress", "cancelled"]
    assert definition.get_allowed_transitions("completed") == []


# -- Encounter ----------------------------------------------------------------------------------


def test_encounter_creation(definition, patient):
    encounter = make_encounter(definition, patient)
    stored = Encounter.objects.get(pk=encounter.pk)
    assert stored.definition == definition
    assert stored.subject == patient
    assert stored.state == "scheduled"


def test_encounter_has_uuid_pk(encounter):
    assert isinstance(encounter.pk, uuid.UUID)


def test_encounter_definition_fk(encounter, definition):
    assert Encounter.objects.get(pk=encounter.pk).definition_id == definition.pk
    assert list(definition.encounters.all()) == [encounter]


def test_encounter_subject_generic_fk(encounter, patient):
    stored = Encounter.objects.get(pk=encounter.pk)
    assert stored.subject_content_type == ContentType.objects.get_for_model(patient)
    assert stored.subject_id == str(patient.pk)
    assert stored.subject == patient


def test_encounter_initial_state_set(definition, patient):
    encounter = make_encounter(definition, patient)
    assert encounter.state == definition.initial_state


def test_encounter_state_can_be_overridden(definition, patient):
    encounter = make_encounter(definition, patient, state="checked_in")
    assert Encounter.objects.get(pk=encounter.pk).state == "checked_in"


def test_encounter_is_final_property(definition, patient):
    assert not make_encounter(definition, patient).is_final
    assert make_encounter(definition, patient, state="cancelled").is_final


def test_encounter_allowed_transitions_property(encounter):
    assert encounter.allowed_transitions == ["checked_in", "cancelled"]


def test_encounter_soft_delete(encounter):
    encounter.delete()
    assert not Encounter.objects.filter(pk=encounter.pk).exists()
    assert Encounter.all_objects.get(pk=encounter.pk).is_deleted


def test_encounter_ordering(definition, patient):
    older = make_encounter(definition, patient, notes="older")
    newer = make_encounter(definition, patient, notes="newer")
    Encounter.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(hours=1))
    assert list(Encounter.objects.all()) == [newer, older]


def test_encounter_scheduled_at_optional(encounter):
    assert Encounter._meta.get_field("scheduled_at").null
    assert Encounter.objects.get(pk=encounter.pk).scheduled_at is None


def test_encounter_timing_fields_optional(encounter):
    stored = Encounter.objects.get(pk=encounter.pk)
    assert (stored.scheduled_at, stored.started_at, stored.ended_at) == (None, None, None)


def test_encounter_metadata_json(definition, patient):
    encounter = make_encounter(definition, patient, metadata={"room": 3, "tags": ["a"]})
    assert Encounter.objects.get(pk=encounter.pk).metadata == {"room": 3, "tags": ["a"]}


def test_encounter_str_representation(encounter):
    assert str(encounter) == "Patient Visit - scheduled"


# -- EncounterTransition ------------------------------------------------------------------------
# Transition rows are written by transition() (and at creation) only, so these tests make them
# that way; tests/test_attacks.py shows a row made by hand is refused.


def test_transition_creation(encounter, user):
    record = transition(encounter, "checked_in", transitioned_by=user)
    stored = EncounterTransition.objects.get(pk=record.pk)
    assert (stored.encounter, stored.from_state, stored.to_state) == (
        encounter,
        "scheduled",
        "checked_in",
    )
    assert stored.transitioned_by == user


def test_transition_has_uuid_pk(encounter):
    record = transition(encounter, "checked_in")
    assert isinstance(record.pk, uuid.UUID)
    assert isinstance(EncounterTransition.objects.get(pk=record.pk).pk, uuid.UUID)


def test_transition_encounter_fk(encounter):
    record = transition(encounter, "checked_in")
    assert EncounterTransition.objects.get(pk=record.pk).encounter_id == encounter.pk
    assert record in encounter.transitions.all()


def test_transition_immutable(encounter):
    record = transition(encounter, "checked_in")
    record.to_state = "completed"
    with pytest.raises(EncounterError, match="immutable"):
        record.save()
    assert EncounterTransition.objects.get(pk=record.pk).to_state == "checked_in"


def test_transition_transitioned_at_auto(encounter):
    before = timezone.now()
    record = transition(encounter, "checked_in")
    stored = EncounterTransition.objects.get(pk=record.pk)
    assert before <= stored.transitioned_at <= timezone.now()


def test_transition_effective_at_default(encounter):
    before = timezone.now()
    record = transition(encounter, "checked_in")
    stored = EncounterTransition.objects.get(pk=record.pk)
    assert before <= stored.effective_at <= timezone.now()


def test_transition_effective_at_custom(definition, patient):
    encounter = create_encounter(
        definition, patient, effective_at=timezone.now() - timedelta(days=3)
    )
    past = timezone.now() - timedelta(days=2)
    record = transition(encounter, "checked_in", effective_at=past)
    stored = EncounterTransition.objects.get(pk=record.pk)
    assert stored.effective_at == past
    assert stored.transitioned_at > past  # recorded now, effective two days ago


def test_transition_ordering(encounter):
    first = transition(encounter, "checked_in")
    second = transition(encounter, "in_progress")
    rows = list(EncounterTransition.objects.filter(encounter=encounter))
    assert rows.index(second) < rows.index(first)
    assert rows[-1].from_state == ""  # the creation record is the oldest


def test_transition_reason_optional(encounter):
    record = transition(encounter, "checked_in")
    assert EncounterTransition.objects.get(pk=record.pk).reason == ""


def test_transition_str_representation(encounter):
    record = transition(encounter, "checked_in")
    assert str(record) == "scheduled → checked_in"


def test_create_encounter_is_the_same_as_objects_create(definition, patient):
    """Both paths record the creation, so neither leaves a history gap."""
    via_service = create_encounter(definition, patient)
    via_orm = make_encounter(definition, patient)
    for encounter in (via_service, via_orm):
        rows = list(encounter.transitions.values_list("from_state", "to_state"))
        assert rows == [("", "scheduled")]
