"""Each conditional uniqueness of django-rbac is the database's: a raw-SQL duplicate is refused
on every database, and 32 racing writers leave exactly one winner on PostgreSQL and MariaDB."""

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError

from django_basemodels import ConditionalUniqueConstraint
from django_rbac.exceptions import RBACError
from django_rbac.models import Role, UserRole
from primitives_testkit import (
    conditional_unique_constraints,
    insert_by_raw_sql,
    refused_by_unique_constraint,
    run_concurrently,
)
from tests.testapp.models import User

THREADS = 32


def test_every_conditional_uniqueness_is_declared_the_shared_way():
    assert conditional_unique_constraints("django_rbac") == {
        "django_rbac_role_slug_unique_alive": ConditionalUniqueConstraint,
        "django_rbac_role_one_group_per_role": ConditionalUniqueConstraint,
        "django_rbac_userrole_one_open_per_role": ConditionalUniqueConstraint,
        "django_rbac_userrole_one_open_primary": ConditionalUniqueConstraint,
    }


def role(slug, **fields):
    group = fields.pop("group", None) or Group.objects.create(
        name=f"raw {slug} {Group.objects.count()}"
    )
    return Role(name=f"Role {slug}", slug=slug, hierarchy_level=20, group=group, **fields)


def test_raw_sql_cannot_repeat_a_live_slug(db):
    Role.objects.create(name="Staff", slug="staff", hierarchy_level=20)
    with refused_by_unique_constraint(Role, "django_rbac_role_slug_unique_alive"):
        insert_by_raw_sql(role("staff"))
    Role.objects.get(slug="staff").delete()
    insert_by_raw_sql(role("staff"))  # a soft-deleted role frees its slug
    assert Role.all_objects.filter(slug="staff").count() == 2


def test_raw_sql_cannot_share_a_live_roles_group(db):
    staff = Role.objects.create(name="Staff", slug="staff", hierarchy_level=20)
    with refused_by_unique_constraint(Role, "django_rbac_role_one_group_per_role"):
        insert_by_raw_sql(role("other", group=staff.group))


def test_raw_sql_cannot_open_a_role_twice_or_two_primaries(db, staff_role, manager_role):
    user = User.objects.create_user("clerk")
    UserRole.objects.create(user=user, role=staff_role, is_primary=True)
    with refused_by_unique_constraint(UserRole, "django_rbac_userrole_one_open_per_role"):
        insert_by_raw_sql(UserRole(user=user, role=staff_role))
    with refused_by_unique_constraint(UserRole, "django_rbac_userrole_one_open_primary"):
        insert_by_raw_sql(UserRole(user=user, role=manager_role, is_primary=True))
    insert_by_raw_sql(UserRole(user=user, role=manager_role))  # not primary: allowed
    assert UserRole.objects.filter(user=user).count() == 2


@pytest.mark.server_database
@pytest.mark.django_db(transaction=True)
def test_thirty_two_racing_roles_with_one_slug_leave_one():
    def create(index):
        return Role.objects.create(name=f"Staff {index}", slug="staff", hierarchy_level=20).pk

    run = run_concurrently(create, threads=THREADS)
    assert len(run.results) == 1
    assert len(run.errors) == THREADS - 1
    assert all(isinstance(error, (RBACError, IntegrityError)) for error in run.errors), run.errors
    assert Role.objects.filter(slug="staff").count() == 1


@pytest.mark.server_database
@pytest.mark.django_db(transaction=True)
def test_thirty_two_racing_primary_assignments_leave_one():
    user = User.objects.create_user("clerk")
    roles = [
        Role.objects.create(name=f"Role {i}", slug=f"role-{i}", hierarchy_level=20)
        for i in range(THREADS)
    ]

    def assign(index):
        return UserRole.objects.create(user=user, role=roles[index], is_primary=True).pk

    run = run_concurrently(assign, threads=THREADS)
    assert len(run.results) == 1
    assert len(run.errors) == THREADS - 1
    assert all(isinstance(error, (RBACError, IntegrityError)) for error in run.errors), run.errors
    assert UserRole.objects.filter(user=user, is_primary=True).count() == 1
