"""django-parties: an organization's employees with their primary email, through the helpers
(``employees().with_primary_contacts()``) against the obvious loop (N+1 queries)."""

from __future__ import annotations

from django_parties.models import Email, Organization, PartyRelationship, Person

PACKAGE = "django-parties"


def run(bench) -> None:
    people_count = bench.sizes.pick(200, 5)
    clinic = Organization.objects.create(name="Northside Clinic")
    people = Person.objects.bulk_create([Person(first_name=f"P{i}") for i in range(people_count)])
    PartyRelationship.objects.bulk_create(
        [
            PartyRelationship(from_person=p, to_organization=clinic, relationship_type="employee")
            for p in people
        ]
    )
    Email.objects.bulk_create(
        [Email(person=p, email=f"p{i}@example.com", is_primary=True) for i, p in enumerate(people)]
    )

    def loop():
        relationships = PartyRelationship.objects.current().filter(
            to_organization=clinic, relationship_type="employee"
        )
        found = [(r.from_person.first_name, r.from_person.primary_email()) for r in relationships]
        assert len(found) == people_count

    def helpers():
        employees = clinic.employees().with_primary_contacts()
        assert len([(p.first_name, p.primary_email) for p in employees]) == people_count

    bench.pair(
        f"employees + primary email, {people_count} people",
        "N+1 loop",
        lambda: helpers,
        lambda: loop,
        rounds=bench.sizes.pick(15, 1),
    )
