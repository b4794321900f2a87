"""Listing an organization's employees with their primary email: the helpers against the
obvious loop.

    cd packages/django-parties && PYTHONPATH=. ../../.venv-parties/bin/python bench/listing.py
    (DATABASE_URL=postgres://... for PostgreSQL)

Baseline, measured in the same run: walk the organization's relationships, follow each to its
person and ask each person for ``primary_email()`` (N+1 queries).
"""

from __future__ import annotations

import os
import sys
import time

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

PEOPLE = 200
ROUNDS = 20


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run() -> None:
    from django_parties.models import Email, Organization, PartyRelationship, Person

    call_command("migrate", verbosity=0)
    clinic = Organization.objects.create(name="Northside Clinic")
    people = Person.objects.bulk_create([Person(first_name=f"P{i}") for i in range(PEOPLE)])
    PartyRelationship.objects.bulk_create(
        [
            PartyRelationship(from_person=p, to_organization=clinic, relationship_type="employee")
            for p in people
        ]
    )
    Email.objects.bulk_create(
        [Email(person=p, email=f"p{i}@example.com", is_primary=True) for i, p in enumerate(people)]
    )

    def baseline():
        rels = PartyRelationship.objects.current().filter(
            to_organization=clinic, relationship_type="employee"
        )
        return [(rel.from_person.first_name, rel.from_person.primary_email()) for rel in rels]

    def helpers():
        employees = clinic.employees().with_primary_contacts()
        return [(p.first_name, p.primary_email) for p in employees]

    results = {}
    for label, fn in (("baseline (N+1 loop)", baseline), ("employees() helper", helpers)):
        fn()
        executed = []

        def count(execute, sql, params, many, context, executed=executed):
            executed.append(sql)
            return execute(sql, params, many, context)

        start = time.perf_counter()
        with connection.execute_wrapper(count):
            for _ in range(ROUNDS):
                assert len(fn()) == PEOPLE
        results[label] = ((time.perf_counter() - start) / ROUNDS, len(executed) // ROUNDS)
    base_time, _ = results["baseline (N+1 loop)"]
    print(f"{connection.vendor}: {PEOPLE} employees with their primary email, {ROUNDS} rounds")
    for label, (seconds, queries) in results.items():
        print(
            f"  {label:20} {queries:4d} queries  {seconds * 1000:8.2f} ms  "
            f"ratio {seconds / base_time:5.2f}x of baseline time"
        )


if __name__ == "__main__":
    main()
