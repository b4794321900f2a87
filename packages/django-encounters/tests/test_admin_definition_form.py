"""The definition form: each fault of the graph is shown next to the field that fixes it."""

import json
import re

import pytest
from django.urls import reverse

from django_encounters import EncounterDefinition

pytestmark = pytest.mark.django_db


def form_data(definition, **changes):
    data = {
        "name": definition.name,
        "code": definition.code,
        "description": "",
        "states": json.dumps(definition.states),
        "initial_state": definition.initial_state,
        "final_states": json.dumps(definition.final_states),
        "transitions": json.dumps(definition.transitions),
        "validators": "[]",
        "metadata": "{}",
    }
    data.update(
        {
            key: json.dumps(value) if not isinstance(value, str) else value
            for key, value in changes.items()
        }
    )
    return data


def errors_by_row(page):
    """field name -> the text of the error list in its form row; "" for the form's own list."""
    found = {}
    for field, block in re.findall(
        r'class="form-row errors field-([\w_]+)[^"]*">(.*?)</ul>', page, re.S
    ):
        found[field] = block
    top = re.search(r'<ul class="errorlist nonfield">(.*?)</ul>', page, re.S)
    found[""] = top.group(1) if top else ""
    return found


def post(admin_client, definition, **changes):
    url = reverse("admin:django_encounters_encounterdefinition_change", args=[definition.pk])
    response = admin_client.post(url, form_data(definition, **changes))
    assert response.status_code == 200  # the form comes back
    return errors_by_row(response.content.decode())


def test_an_unreachable_state_is_shown_at_the_transitions(admin_client, definition):
    errors = post(admin_client, definition, states=[*definition.states, "orphan"])
    assert "&#x27;orphan&#x27; is unreachable from the initial state" in errors["transitions"]
    assert "unreachable" not in errors[""]  # said once, where it is fixed
    definition.refresh_from_db()
    assert "orphan" not in definition.states


def test_an_undeclared_initial_state_is_shown_at_the_initial_state(admin_client, definition):
    errors = post(admin_client, definition, initial_state="nowhere")
    assert (
        "initial_state &#x27;nowhere&#x27; is not one of the declared states"
        in errors["initial_state"]
    )


def test_an_undeclared_final_state_is_shown_at_the_final_states(admin_client, definition):
    errors = post(admin_client, definition, final_states=["completed", "lost"])
    assert "final state &#x27;lost&#x27;" in errors["final_states"]


def test_a_duplicate_state_is_shown_at_the_states(admin_client, definition):
    errors = post(admin_client, definition, states=[*definition.states, "completed"])
    assert "&#x27;completed&#x27; is declared twice" in errors["states"]


def test_a_bad_validator_is_shown_at_the_validators(admin_client, definition):
    errors = post(admin_client, definition, validators=["no.such.Validator"])
    assert "no.such.Validator" in errors["validators"]
    assert "no.such.Validator" not in errors[""]


def test_removing_a_state_in_use_is_still_refused_for_the_whole_form(admin_client, encounter):
    definition = encounter.definition
    states = [state for state in definition.states if state != "scheduled"]
    errors = post(
        admin_client,
        definition,
        states=states,
        initial_state="checked_in",
        transitions={k: v for k, v in definition.transitions.items() if k != "scheduled"},
    )
    assert "scheduled" in errors[""]  # the model's own check, not a graph fault
    assert EncounterDefinition.objects.get(pk=definition.pk).states == definition.states


def test_a_valid_edit_is_saved(admin_client, definition):
    url = reverse("admin:django_encounters_encounterdefinition_change", args=[definition.pk])
    data = form_data(definition, final_states=["completed", "cancelled"], description="visits")
    assert admin_client.post(url, data).status_code == 302
    definition.refresh_from_db()
    assert definition.description == "visits"


def test_the_graph_is_shown_as_lines(admin_client, definition):
    url = reverse("admin:django_encounters_encounterdefinition_change", args=[definition.pk])
    page = admin_client.get(url).content.decode()
    states = "\n".join(definition.states)
    assert re.search(rf'<textarea name="states"[^>]*>\n?{states}</textarea>', page)
    assert "scheduled -&gt; checked_in, cancelled\nchecked_in -&gt; in_progress, cancelled" in page


def test_the_graph_is_written_as_lines(admin_client, definition):
    url = reverse("admin:django_encounters_encounterdefinition_change", args=[definition.pk])
    data = form_data(
        definition,
        states="open\n  fixing \n\nclosed\n",
        initial_state="open",
        final_states="closed",
        transitions="open -> fixing, closed\n\nfixing -> closed\n",
    )
    assert admin_client.post(url, data).status_code == 302
    definition.refresh_from_db()
    assert definition.states == ["open", "fixing", "closed"]
    assert definition.final_states == ["closed"]
    assert definition.transitions == {"open": ["fixing", "closed"], "fixing": ["closed"]}


def test_a_line_that_is_not_a_move_is_shown_at_the_transitions(admin_client, definition):
    errors = post(admin_client, definition, transitions="scheduled -> checked_in\noops")
    assert "line 2 &#x27;oops&#x27; is not a move" in errors["transitions"]


def test_a_state_with_two_lines_is_shown_at_the_transitions(admin_client, definition):
    errors = post(admin_client, definition, transitions="scheduled -> checked_in\nscheduled -> x")
    assert "state &#x27;scheduled&#x27; has a line already" in errors["transitions"]


def test_bad_json_is_shown_at_its_field(admin_client, definition):
    errors = post(admin_client, definition, states='["open",')
    assert "is not valid JSON" in errors["states"]
    errors = post(admin_client, definition, transitions='["open"]')
    assert "is not a JSON object" in errors["transitions"]


def test_validators_that_are_not_a_list_are_shown_at_the_validators(admin_client, definition):
    errors = post(admin_client, definition, validators='{"path": "x.Y"}')
    assert "is not a list" in errors["validators"]


def test_names_lines_cannot_hold_are_shown_and_kept_as_json(admin_client, visit_fields):
    odd = EncounterDefinition.objects.create(
        name="Odd",
        code="ODD",
        states=["a, b", "c"],
        initial_state="a, b",
        final_states=["c"],
        transitions={"a, b": ["c"]},
    )
    url = reverse("admin:django_encounters_encounterdefinition_change", args=[odd.pk])
    page = admin_client.get(url).content.decode()
    assert "[&quot;a, b&quot;, &quot;c&quot;]" in page
    assert "{&quot;a, b&quot;: [&quot;c&quot;]}" in page
    data = form_data(odd, description="unchanged graph")  # the JSON text posted back as shown
    assert admin_client.post(url, data).status_code == 302
    odd.refresh_from_db()
    assert odd.transitions == {"a, b": ["c"]}
    assert odd.description == "unchanged graph"


def test_the_add_page_has_no_diagram_yet(admin_client):
    page = admin_client.get(reverse("admin:django_encounters_encounterdefinition_add"))
    assert page.status_code == 200
    assert "encounter-diagram" not in page.content.decode()
