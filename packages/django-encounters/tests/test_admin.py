"""Admin: definitions show their diagram; transitions are read-only everywhere."""

import pytest
from django.contrib import admin
from django.test import override_settings
from django.urls import reverse

from django_encounters import Encounter, EncounterDefinition, EncounterTransition, transition
from django_encounters.admin import EncounterAdmin, EncounterTransitionInline

pytestmark = pytest.mark.django_db


def test_every_model_is_registered():
    for model in (EncounterDefinition, Encounter, EncounterTransition):
        assert admin.site.is_registered(model)


def test_definition_page_shows_the_diagram(admin_client, definition):
    url = reverse("admin:django_encounters_encounterdefinition_change", args=[definition.pk])
    page = admin_client.get(url).content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="encounter-diagram"' in page
    for state in definition.states:
        assert f'data-state="{state}"' in page
    assert "<script" not in page.split('class="encounter-diagram"')[1].split("</svg>")[0]
    # The Mermaid text stays available, folded away, for documents.
    assert '<pre class="mermaid">stateDiagram-v2' in page
    assert "[*] --&gt; s0" in page
    assert "mermaid.min.js" not in page


@override_settings(ENCOUNTERS_MERMAID_JS_URL="/static/mermaid.min.js")
def test_definition_page_loads_the_mermaid_script_when_configured(admin_client, definition):
    url = reverse("admin:django_encounters_encounterdefinition_change", args=[definition.pk])
    assert "/static/mermaid.min.js" in admin_client.get(url).content.decode()


def test_definition_admin_refuses_a_broken_graph(admin_client, definition):
    url = reverse("admin:django_encounters_encounterdefinition_change", args=[definition.pk])
    data = {
        "name": definition.name,
        "code": definition.code,
        "description": "",
        "states": '["scheduled", "orphan"]',
        "initial_state": "scheduled",
        "final_states": "[]",
        "transitions": "{}",
        "validators": "[]",
        "metadata": "{}",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200  # the form comes back with the error
    assert "unreachable from the initial state" in response.content.decode()
    definition.refresh_from_db()
    assert "orphan" not in definition.states


def test_encounter_page_lists_transitions_read_only(admin_client, encounter):
    transition(encounter, "checked_in", reason="arrived at desk")
    url = reverse("admin:django_encounters_encounter_change", args=[encounter.pk])
    page = admin_client.get(url).content.decode()
    assert "arrived at desk" in page
    assert 'name="transitions-0-reason"' not in page  # no editable inline field
    inline = EncounterTransitionInline(Encounter, admin.site)
    assert not inline.has_add_permission(None)
    assert not inline.has_change_permission(None)
    assert not inline.can_delete


def test_encounter_state_and_definition_are_read_only(rf, admin_user, encounter):
    model_admin = EncounterAdmin(Encounter, admin.site)
    request = rf.get("/")
    request.user = admin_user
    assert {"state", "definition"} <= set(model_admin.get_readonly_fields(request, encounter))


def test_transition_admin_is_read_only(admin_client, encounter):
    model_admin = admin.site._registry[EncounterTransition]
    assert not model_admin.has_add_permission(None)
    assert not model_admin.has_change_permission(None)
    assert not model_admin.has_delete_permission(None)
    listing = admin_client.get(reverse("admin:django_encounters_encountertransition_changelist"))
    assert listing.status_code == 200
    assert (
        admin_client.get(reverse("admin:django_encounters_encounter_changelist")).status_code == 200
    )


def test_deleting_an_encounter_in_the_admin_soft_deletes_it(admin_client, encounter):
    transition(encounter, "checked_in")
    url = reverse("admin:django_encounters_encounter_delete", args=[encounter.pk])
    assert "Are you sure" in admin_client.get(url).content.decode()
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Encounter.objects.filter(pk=encounter.pk).exists()
    assert Encounter.all_objects.get(pk=encounter.pk).is_deleted
    assert EncounterTransition.objects.filter(encounter=encounter).count() == 2
