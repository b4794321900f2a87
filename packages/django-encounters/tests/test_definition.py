"""EncounterDefinition integrity: graph checked on every save, states in use kept."""

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction

from django_encounters import (
    DefinitionInUseError,
    EncounterDefinition,
    InvalidDefinitionError,
    create_encounter,
    transition,
)

pytestmark = pytest.mark.django_db


def test_objects_create_refuses_a_broken_graph_listing_every_problem(visit_fields):
    visit_fields["initial_state"] = "waiting"
    visit_fields["transitions"]["completed"] = ["scheduled"]
    visit_fields["states"].append("archived")
    with pytest.raises(InvalidDefinitionError) as info:
        EncounterDefinition.objects.create(**visit_fields)
    text = str(info.value)
    assert "initial_state 'waiting' is not one of the declared states" in text
    assert "final state 'completed' has outgoing transitions" in text
    assert len(info.value.problems) == 2
    assert not EncounterDefinition.all_objects.exists()


def test_save_refuses_unreachable_states(definition):
    definition.states.append("archived")
    with pytest.raises(InvalidDefinitionError, match="'archived' is unreachable"):
        definition.save()
    definition.refresh_from_db()
    assert "archived" not in definition.states


def test_bad_validator_entries_are_definition_problems_naming_the_path(visit_fields):
    visit_fields["validators"] = ["nowhere.Validator", {"path": "subprocess.Popen"}]
    with pytest.raises(InvalidDefinitionError) as info:
        EncounterDefinition.objects.create(**visit_fields)
    assert "'nowhere.Validator'" in info.value.problems[0]
    assert "'subprocess.Popen'" in info.value.problems[1]


def test_clean_reports_the_same_problems_for_forms(visit_fields):
    visit_fields["final_states"] = ["completed", "gone"]
    with pytest.raises(DjangoValidationError) as info:
        EncounterDefinition(**visit_fields).full_clean()
    assert any("'gone'" in message for message in info.value.messages)


def test_removing_a_state_live_encounters_are_in_is_refused(definition, patient):
    encounters = [create_encounter(definition, patient) for _ in range(3)]
    transition(encounters[0], "checked_in")
    transition(encounters[1], "checked_in")
    definition.states.remove("checked_in")
    definition.transitions["scheduled"] = ["in_progress", "cancelled"]
    definition.transitions.pop("checked_in")
    with pytest.raises(DefinitionInUseError) as info:
        definition.save()
    assert info.value.counts == {"checked_in": 2}
    assert "2 live encounter(s) are in state 'checked_in'" in str(info.value)
    definition.refresh_from_db()
    assert "checked_in" in definition.states


def test_renaming_a_state_in_use_is_refused_and_clean_says_so(definition, patient):
    create_encounter(definition, patient)
    definition.states[0] = "booked"
    definition.initial_state = "booked"
    definition.transitions["booked"] = definition.transitions.pop("scheduled")
    with pytest.raises(DefinitionInUseError, match=r"1 live encounter.*'scheduled'"):
        definition.save()
    with pytest.raises(DjangoValidationError, match="scheduled"):
        definition.full_clean()


def test_removing_a_state_nobody_is_in_is_allowed(definition, patient):
    encounter = create_encounter(definition, patient)
    transition(encounter, "checked_in")
    soft_deleted = create_encounter(definition, patient)
    soft_deleted.delete()  # soft-deleted encounters are not live
    definition.states.remove("scheduled")
    definition.initial_state = "checked_in"
    definition.transitions.pop("scheduled")
    definition.save()
    definition.refresh_from_db()
    assert definition.states[0] == "checked_in"


def test_soft_deleted_definition_frees_its_name_and_code(definition, visit_fields):
    definition.delete()
    EncounterDefinition.objects.create(**visit_fields)
    assert EncounterDefinition.all_objects.filter(code="VISIT").count() == 2
    with pytest.raises(IntegrityError), transaction.atomic():
        definition.restore()


def test_to_mermaid(definition):
    diagram = definition.to_mermaid()
    assert diagram.startswith("stateDiagram-v2\n")
    assert "    [*] --> s0" in diagram  # scheduled
    assert "    s0 --> s1" in diagram  # scheduled -> checked_in
    assert "    s3 --> [*]" in diagram  # completed
    assert diagram.count("-->") == 1 + 6 + 2


def test_queryset_update_of_graph_fields_is_refused(definition):
    with pytest.raises(InvalidDefinitionError, match=r"QuerySet\.update"):
        EncounterDefinition.objects.filter(pk=definition.pk).update(states=["x"])
    assert EncounterDefinition.objects.filter(pk=definition.pk).update(description="ok") == 1


def test_bulk_update_of_graph_fields_is_refused(definition):
    definition.transitions = {}
    with pytest.raises(InvalidDefinitionError, match="bulk_update"):
        EncounterDefinition.objects.bulk_update([definition], ["transitions"])


def test_bulk_create_validates_every_definition(visit_fields):
    broken = EncounterDefinition(**{**visit_fields, "code": "B", "name": "B", "initial_state": "x"})
    good = EncounterDefinition(**visit_fields)
    with pytest.raises(InvalidDefinitionError, match="'x'"):
        EncounterDefinition.objects.bulk_create([good, broken])
    assert not EncounterDefinition.all_objects.exists()
    EncounterDefinition.objects.bulk_create([good])
    assert EncounterDefinition.objects.count() == 1
