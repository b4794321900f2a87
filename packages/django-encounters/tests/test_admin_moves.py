"""The encounter admin: the subject as a link, and moves by button through transition()."""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.urls import reverse

from django_encounters import Encounter, EncounterTransition, create_encounter, transition
from tests.testapp.models import Patient

pytestmark = pytest.mark.django_db

BLOCKING = {
    "path": "django_encounters.validators.RequiredFieldsValidator",
    "params": {"state_requirements": {"checked_in": ["started_at"]}},
}
WARNING = "tests.testapp.validators.ReminderValidator"


def change_url(encounter):
    return reverse("admin:django_encounters_encounter_change", args=[encounter.pk])


def move_url(encounter):
    return reverse("admin:django_encounters_encounter_move", args=[encounter.pk])


def page_of(client, encounter):
    return client.get(change_url(encounter)).content.decode()


def test_the_subject_is_a_link_with_its_name_not_two_raw_fields(admin_client, encounter, patient):
    page = page_of(admin_client, encounter)
    patient_url = reverse("admin:testapp_patient_change", args=[patient.pk])
    assert f'<a href="{patient_url}">{patient}</a>' in page  # str(), the host's name for it
    assert 'name="subject_content_type"' not in page
    assert 'name="subject_id"' not in page


def test_a_subject_without_an_admin_page_is_shown_by_name(admin_client, definition, asset):
    encounter = create_encounter(definition, asset)
    page = page_of(admin_client, encounter)
    assert str(asset) in page
    assert 'name="subject_id"' not in page


def test_a_deleted_subject_is_said_to_be_gone(admin_client, encounter, patient):
    # The generic relation would cascade the delete to the encounter; a subject can still
    # disappear behind the ORM's back (another database user, a raw DELETE).
    Patient.objects.filter(pk=patient.pk)._raw_delete(Patient.objects.db)
    assert f"{encounter.subject_id} (no longer exists)" in page_of(admin_client, encounter)


def test_the_add_page_still_asks_for_the_subject(admin_client):
    page = admin_client.get(reverse("admin:django_encounters_encounter_add")).content.decode()
    assert 'name="subject_content_type"' in page
    assert "Move this encounter" not in page


def test_the_allowed_moves_are_offered_as_buttons(admin_client, encounter):
    page = page_of(admin_client, encounter)
    for state in ("checked_in", "cancelled"):
        assert f'name="to_state" value="{state}"' in page
    assert 'value="completed"' not in page  # not an edge from "scheduled"
    assert f'formaction="{move_url(encounter)}"' in page


def test_a_final_state_offers_no_moves(admin_client, encounter):
    transition(encounter, "cancelled")
    page = page_of(admin_client, encounter)
    assert 'name="to_state"' not in page
    assert "No moves are possible" in page


def test_a_button_moves_the_encounter_and_records_the_user(admin_client, admin_user, encounter):
    response = admin_client.post(
        move_url(encounter), {"to_state": "checked_in", "move_reason": "at the desk"}, follow=True
    )
    assert response.redirect_chain == [(change_url(encounter), 302)]
    encounter.refresh_from_db()
    assert encounter.state == "checked_in"
    record = EncounterTransition.objects.get(encounter=encounter, to_state="checked_in")
    assert record.transitioned_by == admin_user
    assert record.reason == "at the desk"
    page = response.content.decode()
    assert "Moved from &#x27;scheduled&#x27; to &#x27;checked_in&#x27;." in page
    assert LogEntry.objects.filter(object_id=str(encounter.pk)).exists()


def test_a_validators_block_is_shown_as_an_error(admin_client, definition, patient):
    definition.validators = [BLOCKING]
    definition.save()
    encounter = create_encounter(definition, patient)
    response = admin_client.post(move_url(encounter), {"to_state": "checked_in"}, follow=True)
    page = response.content.decode()
    assert 'class="error"' in page
    assert "Field &#x27;started_at&#x27; is required for state &#x27;checked_in&#x27;" in page
    encounter.refresh_from_db()
    assert encounter.state == "scheduled"
    assert not EncounterTransition.objects.filter(to_state="checked_in").exists()


def test_a_validators_warning_is_shown_and_the_move_happens(admin_client, definition, patient):
    definition.validators = [WARNING]
    definition.save()
    encounter = create_encounter(definition, patient)
    response = admin_client.post(move_url(encounter), {"to_state": "checked_in"}, follow=True)
    page = response.content.decode()
    assert 'class="warning"' in page
    assert "remember to tell the owner about &#x27;checked_in&#x27;" in page
    encounter.refresh_from_db()
    assert encounter.state == "checked_in"


def test_a_move_that_is_not_an_edge_is_refused_with_the_services_message(admin_client, encounter):
    response = admin_client.post(move_url(encounter), {"to_state": "completed"}, follow=True)
    assert "Cannot transition from &#x27;scheduled&#x27; to &#x27;completed&#x27;" in (
        response.content.decode()
    )
    encounter.refresh_from_db()
    assert encounter.state == "scheduled"


def test_moving_needs_a_post(admin_client, encounter):
    assert admin_client.get(move_url(encounter)).status_code == 405


def test_moving_a_missing_encounter_goes_back_to_the_list(admin_client, encounter):
    url = move_url(encounter)
    Encounter.objects.filter(pk=encounter.pk).delete()
    response = admin_client.post(url, {"to_state": "checked_in"})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:django_encounters_encounter_changelist")


def test_a_user_who_may_only_view_gets_no_buttons_and_cannot_move(
    client, django_user_model, encounter
):
    viewer = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_encounter"))
    client.force_login(viewer)
    assert 'name="to_state"' not in page_of(client, encounter)
    assert client.post(move_url(encounter), {"to_state": "checked_in"}).status_code == 403
    encounter.refresh_from_db()
    assert encounter.state == "scheduled"


def test_the_list_loads_subjects_in_a_fixed_number_of_queries(
    admin_client, definition, django_assert_num_queries
):
    url = reverse("admin:django_encounters_encounter_changelist")
    # session, user, the definitions of the list filter, count, count (unfiltered), the page of
    # encounters, their patients (one query for all), the states of the list filter
    create_encounter(definition, Patient.objects.create(name="Ada"))
    with django_assert_num_queries(8):
        admin_client.get(url)
    for name in ("Bob", "Cy", "Di"):
        create_encounter(definition, Patient.objects.create(name=name))
    with django_assert_num_queries(8):
        page = admin_client.get(url).content.decode()
    for patient in Patient.objects.all():
        patient_url = reverse("admin:testapp_patient_change", args=[patient.pk])
        assert f'<a href="{patient_url}">{patient}</a>' in page


def test_the_change_page_has_a_fixed_number_of_queries(
    admin_client, encounter, user, other_user, django_assert_num_queries
):
    transition(encounter, "checked_in", transitioned_by=user)
    transition(encounter, "in_progress", transitioned_by=other_user)
    # session, user, the encounter, its patient, its definition, the latest history rows with
    # their users (created_by and assigned_to are id fields: no list of every user)
    with django_assert_num_queries(6):
        admin_client.get(change_url(encounter))
