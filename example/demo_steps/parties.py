"""django-parties: people, organizations, groups, how they relate, and how to reach them."""

from __future__ import annotations

from datetime import date

from django_parties.exceptions import PartiesError
from django_parties.models import Email, Group, Organization, PartyRelationship, Person
from django_parties.services import relate


def run(ctx) -> None:
    clinic = Organization.objects.create(name="Northside Clinic", org_type="clinic")
    workshop = Organization.objects.create(name="Harbor Workshop", org_type="company")
    ctx.say(f"Two organizations: {clinic} and {workshop}.")

    nora = Person.objects.create(first_name="Nora", last_name="Quinn", user=ctx.user)
    owen = Person.objects.create(first_name="Owen", last_name="Park")
    household = Group.objects.create(name="Park household", group_type="household")
    ctx.say(f"People: {nora} (linked to login '{ctx.user.get_username()}') and {owen}.")

    PartyRelationship.objects.create(
        from_person=nora, to_organization=clinic, relationship_type="employee", title="Vet nurse"
    )
    relate(owen, workshop, "owner", valid_from=date(2019, 4, 1))
    relate(owen, household, "member")
    relate(household, clinic, "customer")
    ctx.say(f"{clinic} employs: {', '.join(map(str, clinic.employees()))}.")
    ctx.say(f"{owen} relates to: {', '.join(map(str, owen.organizations()))}.")

    Email.objects.create(person=nora, email="nora@northside.example", is_primary=True)
    ctx.say(f"{nora}'s primary email: {nora.primary_email()}.")
    try:
        Email.objects.create(person=nora, email="nora@home.example", is_primary=True)
    except PartiesError as error:
        ctx.say(f"A second primary email is refused: {error}")

    try:
        PartyRelationship.objects.create(
            from_person=nora,
            from_organization=workshop,
            to_organization=clinic,
            relationship_type="contact",
        )
    except PartiesError as error:
        ctx.say(f"A relationship with two 'from' parties is refused: {error}")

    ctx.shared["org"] = clinic
    ctx.shared["other_org"] = workshop
    ctx.shared["person"] = nora
