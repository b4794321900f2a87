"""The generic subject: integer and UUID keys, forward and reverse, on every database."""

import pytest

from django_encounters import Encounter, create_encounter, transition
from tests.testapp.models import Asset, Patient

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed(definition):
    """Integer- and UUID-keyed subjects in the same encounter table, in different states."""
    patients = [Patient.objects.create(name=f"p{i}") for i in range(3)]
    assets = [Asset.objects.create(label=f"a{i}") for i in range(3)]
    for subject in patients + assets:
        create_encounter(definition, subject)
    transition(Encounter.objects.for_subject(patients[1]).get(), "checked_in")
    transition(Encounter.objects.for_subject(assets[2]).get(), "checked_in")
    return patients, assets


def test_integer_and_uuid_subjects_round_trip(mixed):
    patients, assets = mixed
    for subject in (patients[0], assets[0]):
        encounter = Encounter.objects.for_subject(subject).get()
        assert encounter.subject_id == str(subject.pk)
        assert Encounter.objects.get(pk=encounter.pk).subject == subject


def test_related_manager_of_the_generic_relation(mixed):
    patients, assets = mixed
    assert [e.state for e in patients[1].encounters.all()] == ["checked_in"]
    assert [e.state for e in assets[2].encounters.all()] == ["checked_in"]
    assert assets[0].encounters.count() == 1


def test_subject_pks_answers_reverse_questions_on_every_database(mixed):
    patients, assets = mixed
    checked_in = Encounter.objects.filter(state="checked_in")
    assert list(Patient.objects.filter(pk__in=checked_in.subject_pks(Patient))) == [patients[1]]
    assert list(Asset.objects.filter(pk__in=checked_in.subject_pks(Asset))) == [assets[2]]


def test_reverse_join_with_integer_keys(mixed):
    patients, _assets = mixed
    assert list(Patient.objects.filter(encounters__state="checked_in")) == [patients[1]]


@pytest.mark.postgresql
def test_reverse_join_with_uuid_keys_on_postgresql(mixed):
    """subject_id is text: Django casts it to uuid/bigint in the join, so both key types work,
    even with both kinds of ids in the same table."""
    patients, assets = mixed
    assert list(Asset.objects.filter(encounters__state="checked_in")) == [assets[2]]
    assert list(Patient.objects.filter(encounters__state="checked_in")) == [patients[1]]
    scheduled = Asset.objects.filter(encounters__state="scheduled").order_by("label")
    assert list(scheduled) == assets[:2]


def test_prefetching_subjects_costs_one_query_per_subject_type(mixed, django_assert_num_queries):
    with django_assert_num_queries(3):  # encounters, patients, assets
        subjects = {str(e.subject) for e in Encounter.objects.prefetch_related("subject")}
    assert len(subjects) == 6
