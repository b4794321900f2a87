"""The history a page at a time: bounded lists, keyset continuation, iteration in batches."""

import datetime

import pytest
from django.db import connection, models
from django.utils import timezone

from django_encounters import (
    EncounterDefinition,
    EncounterTransition,
    InvalidArgumentError,
    create_encounter,
    get_encounter_history,
    iter_encounter_history,
    transition,
)
from django_encounters.models import Encounter
from tests.testapp.models import Patient

pytestmark = pytest.mark.django_db

TRANSITIONS = EncounterTransition._meta.db_table


@pytest.fixture
def ping_pong(db):
    return EncounterDefinition.objects.create(
        name="Ping pong",
        code="PING",
        states=["a", "b"],
        initial_state="a",
        transitions={"a": ["b"], "b": ["a"]},
    )


def moved(definition, moves):
    encounter = create_encounter(definition, Patient.objects.create(name="Rex"))
    for move in range(moves):
        transition(encounter, "b" if move % 2 == 0 else "a", reason=f"m{move}")
    return encounter


def reasons(rows):
    return [row.reason for row in rows]


def test_limit_bounds_the_list_and_after_continues_it(ping_pong, django_assert_num_queries):
    encounter = moved(ping_pong, 25)
    everything = get_encounter_history(encounter)
    assert reasons(everything) == [f"m{move}" for move in range(25)]
    with django_assert_num_queries(1):
        first = get_encounter_history(encounter, limit=10)
    with django_assert_num_queries(1):
        second = get_encounter_history(encounter, limit=10, after=first[-1])
    third = get_encounter_history(encounter, limit=10, after=second[-1])
    assert first + second + third == everything
    assert len(third) == 5
    assert get_encounter_history(encounter, after=third[-1]) == []


def test_paging_includes_the_creation_when_asked(ping_pong):
    encounter = moved(ping_pong, 3)
    first = get_encounter_history(encounter, include_creation=True, limit=2)
    assert [row.from_state for row in first] == ["", "a"]
    rest = get_encounter_history(encounter, include_creation=True, after=first[-1])
    assert reasons(rest) == ["m1", "m2"]


def test_ties_on_the_time_are_broken_by_id(ping_pong, monkeypatch):
    """Rows written at the same moment still page without a row lost or repeated."""
    if connection.vendor == "mysql":
        # MariaDB's triggers refuse the UPDATE below even here (they cannot be switched off for
        # one transaction): the moves are made at one frozen moment instead.
        moment = timezone.now() + datetime.timedelta(seconds=1)
        monkeypatch.setattr(timezone, "now", lambda: moment)
        encounter = moved(ping_pong, 6)
    else:
        encounter = moved(ping_pong, 6)
        moment = get_encounter_history(encounter, include_creation=True)[0].transitioned_at
        # The package's guards forbid this to anyone else: a plain QuerySet, and on PostgreSQL
        # the append-only trigger off for this transaction.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
        models.QuerySet(EncounterTransition).filter(encounter=encounter).update(
            transitioned_at=moment, effective_at=moment
        )
    rows = list(EncounterTransition.objects.filter(encounter=encounter))
    assert sum(row.transitioned_at == moment for row in rows) >= 6  # the moves tie
    paged, last = [], None
    while True:
        page = get_encounter_history(encounter, include_creation=True, limit=2, after=last)
        if not page:
            break
        paged += page
        last = page[-1]
    expected = sorted(rows, key=lambda row: (row.transitioned_at, row.effective_at, row.pk))
    assert [row.pk for row in paged] == [row.pk for row in expected]


@pytest.mark.parametrize(("moves", "queries"), [(25, 3), (20, 3), (0, 1)])
def test_iteration_reads_one_batch_per_query(ping_pong, moves, queries, django_assert_num_queries):
    encounter = moved(ping_pong, moves)
    with django_assert_num_queries(queries):
        rows = list(iter_encounter_history(encounter, batch_size=10))
    assert reasons(rows) == [f"m{move}" for move in range(moves)]


def test_iteration_with_the_creation(ping_pong):
    encounter = moved(ping_pong, 4)
    rows = list(iter_encounter_history(encounter, include_creation=True, batch_size=2))
    assert [(row.from_state, row.to_state) for row in rows] == [
        ("", "a"),
        ("a", "b"),
        ("b", "a"),
        ("a", "b"),
        ("b", "a"),
    ]


@pytest.mark.parametrize("limit", [0, -1, "10", 2.5, True])
def test_a_bad_limit_is_refused(encounter, limit):
    with pytest.raises(InvalidArgumentError, match="limit"):
        get_encounter_history(encounter, limit=limit)


@pytest.mark.parametrize("batch_size", [0, "10", None])
def test_a_bad_batch_size_is_refused(encounter, batch_size):
    with pytest.raises(InvalidArgumentError, match="batch_size"):
        list(iter_encounter_history(encounter, batch_size=batch_size))


def test_after_must_be_a_row_of_the_same_encounter(ping_pong, encounter):
    other = moved(ping_pong, 1)
    foreign = get_encounter_history(other)[0]
    with pytest.raises(InvalidArgumentError, match=f"a transition of encounter {encounter.pk}"):
        get_encounter_history(encounter, after=foreign)
    with pytest.raises(InvalidArgumentError, match="a saved EncounterTransition"):
        get_encounter_history(encounter, after="last")


def load_history(encounters, rows_each):
    """``rows_each`` history rows for each of ``encounters`` new encounters, written in one
    INSERT ... SELECT (the package's triggers are off for it), then ANALYZE."""
    definition = EncounterDefinition.objects.get(code="PING")
    patient = Patient.objects.create(name="Many")
    created = Encounter.objects.bulk_create(
        [Encounter(definition=definition, subject=patient) for _ in range(encounters)]
    )
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            f"INSERT INTO {TRANSITIONS} (id, encounter_id, from_state, to_state, "
            "transitioned_at, effective_at, reason, metadata) "
            "SELECT gen_random_uuid(), e.id, 'a', 'b', now() + n * interval '1 second', "
            "now() + n * interval '1 second', '', '{}' "
            f"FROM {Encounter._meta.db_table} e, generate_series(1, %s) n "
            "WHERE e.id = ANY(%s)",
            [rows_each, [encounter.pk for encounter in created]],
        )
        cursor.execute(f"ANALYZE {TRANSITIONS}")
    return created


@pytest.mark.postgresql
def test_a_page_deep_in_a_long_history_is_an_index_range(ping_pong):
    encounter = load_history(40, 500)[7]
    page = get_encounter_history(encounter, limit=50)
    later = get_encounter_history(encounter, limit=50, after=page[-1])
    assert len(later) == 50
    query = (
        EncounterTransition.objects.filter(encounter_id=encounter.pk)
        .exclude(from_state="")
        .filter(transitioned_at__gte=page[-1].transitioned_at)
        .order_by("transitioned_at", "effective_at", "id")[:50]
    )
    plan = query.explain()
    assert "encounters_history_idx" in plan, plan
    assert "Sort" not in plan, plan  # the index gives the order: no row before the page is read


def test_the_key_has_no_index_of_its_own_and_two_composites_lead_with_it():
    """Migration 0005 dropped the foreign key's single-column index; the two composite indexes,
    both led by encounter_id, serve its lookups (and the constraint, on MariaDB)."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, TRANSITIONS)
    led_by_key = {
        name
        for name, details in constraints.items()
        if details["index"] and details["columns"][:1] == ["encounter_id"]
    }
    assert {"encounters_history_idx", "encounters_state_at_idx"} <= led_by_key
    key_only = [
        name
        for name in led_by_key
        if constraints[name]["columns"] == ["encounter_id"] and not constraints[name]["unique"]
    ]
    assert key_only == []


@pytest.mark.postgresql
def test_lookups_by_encounter_use_a_composite_index_now_that_the_key_has_none(ping_pong):
    """What the key's own index served (the PROTECT check, any filter by encounter) is served by
    a composite index, with enough rows that the planner would otherwise scan the table."""
    encounter = load_history(40, 500)[3]
    plan = EncounterTransition.objects.filter(encounter_id=encounter.pk).explain()
    assert "Seq Scan" not in plan, plan
    assert "encounters_history_idx" in plan or "encounters_state_at_idx" in plan, plan
