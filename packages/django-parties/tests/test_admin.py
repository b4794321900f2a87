import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from django_parties.models import (
    Address,
    Email,
    Group,
    Organization,
    PartyRelationship,
    Person,
    Phone,
)

pytestmark = pytest.mark.django_db

MODELS = [Person, Organization, Group, PartyRelationship, Email, Phone, Address]


@pytest.fixture
def staff_client(client):
    user = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(user)
    return client


def test_every_model_is_registered():
    for model in MODELS:
        assert admin.site.is_registered(model)


def test_changelists_render_and_search(staff_client, person, organization):
    PartyRelationship.objects.create(
        from_person=person, to_organization=organization, relationship_type="employee"
    )
    person.emails.create(email="ada@example.com", is_primary=True)
    for model in MODELS:
        url = reverse(f"admin:django_parties_{model._meta.model_name}_changelist")
        assert staff_client.get(url, {"q": "ada"}).status_code == 200
    url = reverse("admin:django_parties_person_changelist")
    assert b"Ada Lovelace" in staff_client.get(url, {"q": "ada@example.com"}).content
    assert b"Ada Lovelace" not in staff_client.get(url, {"q": "nobody@example.com"}).content


def test_change_pages_with_inlines_render(staff_client, person, organization, group):
    for party in (person, organization, group):
        url = reverse(f"admin:django_parties_{party._meta.model_name}_change", args=[party.pk])
        response = staff_client.get(url)
        assert response.status_code == 200
        assert b"emails" in response.content.lower()


def test_relationship_form_offers_host_types_and_refuses_two_parties(
    staff_client, person, organization, group, settings
):
    settings.PARTIES_EXTRA_RELATIONSHIP_TYPES = {"vet": "Veterinarian"}
    url = reverse("admin:django_parties_partyrelationship_add")
    assert b"Veterinarian" in staff_client.get(url).content
    data = {
        "from_person": person.pk,
        "from_group": group.pk,
        "to_organization": organization.pk,
        "relationship_type": "vet",
        "valid_from": "2024-01-01",
    }
    response = staff_client.post(url, data)
    assert response.status_code == 200  # form redisplayed with the error
    assert not PartyRelationship.objects.exists()
    data.pop("from_group")
    assert staff_client.post(url, data).status_code == 302
    assert PartyRelationship.objects.get().relationship_type == "vet"
