"""The encounter page stays the same size and cost however long the encounter's history is."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from django_encounters import EncounterDefinition, EncounterTransition, create_encounter, transition
from django_encounters.admin.encounter import BoundedCountPaginator, LatestTransitionsFormSet
from tests.testapp.models import Patient

pytestmark = pytest.mark.django_db

SHOWN = LatestTransitionsFormSet.rows_shown


@pytest.fixture
def ping_pong(db):
    return EncounterDefinition.objects.create(
        name="Ping pong",
        code="PING",
        states=["a", "b"],
        initial_state="a",
        transitions={"a": ["b"], "b": ["a"]},
    )


def with_history(definition, rows, user=None):
    """An encounter whose history holds ``rows`` rows (the creation record included)."""
    encounter = create_encounter(definition, Patient.objects.create(name="Rex"))
    for move in range(rows - 1):
        to_state = "b" if move % 2 == 0 else "a"
        transition(encounter, to_state, transitioned_by=user, reason=f"m{move}")
    return encounter


def change_url(encounter):
    return reverse("admin:django_encounters_encounter_change", args=[encounter.pk])


def test_the_page_costs_the_same_with_1_and_100_transitions(
    admin_client, ping_pong, django_user_model, django_assert_num_queries
):
    nurse = django_user_model.objects.create_user("nurse")
    short, long = with_history(ping_pong, 1, nurse), with_history(ping_pong, 100, nurse)
    admin_client.get(change_url(short))  # content types and the like, cached from now on
    # session, user, the encounter, its patient, the latest transitions with their users,
    # the definition
    for encounter in (short, long):
        with django_assert_num_queries(6):
            response = admin_client.get(change_url(encounter))
        assert response.status_code == 200


def test_the_page_shows_the_latest_rows_newest_first_and_links_to_the_rest(admin_client, ping_pong):
    encounter = with_history(ping_pong, 100)
    page = admin_client.get(change_url(encounter)).content.decode()
    shown = [f"m{move}" for move in range(98, 98 - SHOWN, -1)]
    positions = [page.index(f"<p>{reason}</p>") for reason in shown]
    assert positions == sorted(positions)  # newest first
    assert f"<p>m{98 - SHOWN}</p>" not in page  # older rows are not on the page
    listing = reverse("admin:django_encounters_encountertransition_changelist")
    link = f"{listing}?encounter={encounter.pk}"
    assert f'href="{link}"' in page
    full = admin_client.get(link)
    assert full.status_code == 200
    assert full.context["cl"].result_count == 100
    assert all(row.encounter_id == encounter.pk for row in full.context["cl"].result_list)


def test_no_link_when_every_row_is_shown(admin_client, ping_pong):
    encounter = with_history(ping_pong, SHOWN)
    response = admin_client.get(change_url(encounter))
    assert len(response.context["inline_admin_formsets"][0].formset.forms) == SHOWN
    assert "See every transition" not in response.content.decode()
    assert EncounterTransition.objects.filter(encounter=encounter).count() == SHOWN


def test_the_page_costs_the_same_however_many_users_exist(
    admin_client, ping_pong, django_user_model, django_assert_num_queries
):
    nurse = django_user_model.objects.create_user("nurse")
    encounter = create_encounter(
        ping_pong, Patient.objects.create(name="Rex"), created_by=nurse, assigned_to=nurse
    )
    admin_client.get(change_url(encounter))
    counts = []
    for more in (0, 30):
        django_user_model.objects.bulk_create(
            [django_user_model(username=f"staff{more}-{i}") for i in range(more)]
        )
        with django_assert_num_queries(8) as captured:  # the six above, and each id's label
            page = admin_client.get(change_url(encounter)).content.decode()
        counts.append(len(captured))
        # created_by, assigned_to and the creation record's transitioned_by
        assert page.count(f'<a href="/admin/auth/user/{nurse.pk}/change/">nurse</a>') == 3
    assert counts[0] == counts[1]


TRANSITIONS = "/admin/django_encounters/encountertransition/"


@pytest.mark.parametrize("query", [{}, "encounter"], ids=["unfiltered", "one encounter"])
def test_the_transition_list_costs_the_same_with_1_and_100_transitions(
    admin_client, ping_pong, query, django_assert_num_queries
):
    short = with_history(ping_pong, 1)
    params = {} if query == {} else {"encounter": str(short.pk)}
    admin_client.get(TRANSITIONS, params)  # content types and the like, cached from now on
    counts = []
    for more in (0, 99):
        encounter = with_history(ping_pong, more + 1) if more else short
        if query != {}:
            params = {"encounter": str(encounter.pk)}
        with CaptureQueriesContext(connection) as captured:
            response = admin_client.get(TRANSITIONS, params)
        listed = more + 1 if query != {} else 1 + more + (1 if more else 0)
        assert response.context["cl"].result_count == listed
        counts.append(len(captured))
        counting = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"]]
        # One count, bounded by a LIMIT and unordered; no second count of the whole table.
        assert len(counting) == 1, counting
        assert f"LIMIT {BoundedCountPaginator.count_limit + 1}" in counting[0], counting
        assert "ORDER BY" not in counting[0], counting
    # session, user, the bounded count, the page with encounters, definitions and users
    assert counts[0] == counts[1] == 4


def test_the_transition_list_says_more_than_n_past_the_limit(admin_client, ping_pong, monkeypatch):
    monkeypatch.setattr(BoundedCountPaginator, "count_limit", 3)
    with_history(ping_pong, 5)
    response = admin_client.get(TRANSITIONS)
    assert response.context["cl"].paginator.count_text == "more than 3"
    assert "more than 3 encounter transitions" in response.content.decode()
    small = admin_client.get(TRANSITIONS, {"encounter": "00000000-0000-0000-0000-000000000000"})
    assert small.context["cl"].paginator.count_text == "0"


@pytest.mark.postgresql
def test_the_transition_list_page_is_a_range_of_an_index_not_a_sort(admin_client, ping_pong):
    """Newest first over every encounter: read along encounters_transitioned_idx, with enough
    rows (20,000) that sorting them all would otherwise be the plan."""
    from tests.test_history import load_history

    load_history(40, 500)
    with CaptureQueriesContext(connection) as captured:
        response = admin_client.get(TRANSITIONS)
    assert len(response.context["cl"].result_list) == 100
    [page] = [q["sql"] for q in captured.captured_queries if "ORDER BY" in q["sql"]]
    assert 'ORDER BY "django_encounters_encountertransition"."transitioned_at" DESC' in page
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + page)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "encounters_transitioned_idx" in plan, plan
    assert "Sort" not in plan, plan  # the index gives the order: no row past the page is read
