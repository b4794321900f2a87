from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from django_basemodels import exceptions as basemodels_errors
from django_rbac.exceptions import (
    BulkWriteError,
    InvalidAssignmentPeriodError,
    InvalidHierarchyLevelError,
)
from django_rbac.models import Role, UserRole

pytestmark = pytest.mark.django_db


def test_role_creates_its_group_in_the_same_save():
    role = Role.objects.create(name="Manager", slug="manager", hierarchy_level=60)
    assert isinstance(role.group, Group)
    assert role.group.name.startswith("role:manager:")
    assert Role.objects.get(group=role.group) == role
    assert str(role) == "Manager (60)"


def test_renaming_the_slug_renames_the_group(manager_role):
    manager_role.slug = "team-lead"
    manager_role.save()
    manager_role.group.refresh_from_db()
    assert manager_role.group.name.startswith("role:team-lead:")


def test_a_failed_role_save_leaves_no_group():
    Role.objects.create(name="A", slug="a", hierarchy_level=10)
    groups = Group.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():
        Role.objects.create(name="A again", slug="a", hierarchy_level=10)
    assert Group.objects.count() == groups


@pytest.mark.parametrize("level", [0, 101, -5, True, "60", None])
def test_level_out_of_range_is_refused(level):
    with pytest.raises(InvalidHierarchyLevelError, match="expected an integer from 1 to 100"):
        Role.objects.create(name="X", slug="x", hierarchy_level=level)


@pytest.mark.parametrize("level", [0, 101])
def test_database_checks_the_level_range(manager_role, level):
    with pytest.raises(IntegrityError), transaction.atomic():
        QuerySet(model=Role).filter(pk=manager_role.pk).update(hierarchy_level=level)


def test_slug_is_unique_among_live_roles_only(manager_role):
    with pytest.raises(IntegrityError), transaction.atomic():
        Role.objects.create(name="Other", slug="manager", hierarchy_level=50)
    manager_role.delete()
    again = Role.objects.create(name="Manager", slug="manager", hierarchy_level=60)
    assert again.group != manager_role.group


def test_hard_delete_removes_the_group(staff_role):
    group_id = staff_role.group_id
    staff_role.hard_delete()
    assert not Group.objects.filter(pk=group_id).exists()


def test_one_open_assignment_per_user_and_role(make_user, manager_role):
    user = make_user()
    first = UserRole.objects.create(user=user, role=manager_role)
    with pytest.raises(IntegrityError), transaction.atomic():
        QuerySet(model=UserRole).bulk_create([UserRole(user=user, role=manager_role)])
    # A revoked or soft-deleted assignment no longer occupies the slot.
    UserRole.objects.filter(pk=first.pk).update(revoked_at=timezone.now())
    second = UserRole.objects.create(user=user, role=manager_role)
    second.delete()
    UserRole.objects.create(user=user, role=manager_role)
    assert UserRole.all_objects.filter(user=user).count() == 3


def test_one_open_primary_per_user(make_user, manager_role, staff_role):
    user = make_user()
    UserRole.objects.create(user=user, role=manager_role, is_primary=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        UserRole.objects.create(user=user, role=staff_role, is_primary=True)


def test_assignment_end_must_follow_start(make_user, manager_role):
    user = make_user()
    now = timezone.now()
    with pytest.raises(InvalidAssignmentPeriodError, match="does not follow valid_from"):
        UserRole.objects.create(user=user, role=manager_role, valid_from=now, valid_to=now)
    assignment = UserRole.objects.create(user=user, role=manager_role, valid_from=now)
    with pytest.raises(BulkWriteError, match="valid_to"):
        UserRole.objects.filter(pk=assignment.pk).update(valid_to=now - timedelta(days=1))


def test_current_excludes_expired_future_revoked_inactive_and_deleted(make_user, manager_role):
    now = timezone.now()
    user = make_user()
    roles = [Role.objects.create(name=f"R{i}", slug=f"r{i}", hierarchy_level=10) for i in range(6)]
    current = UserRole.objects.create(user=user, role=roles[0])
    UserRole.objects.create(
        user=user, role=roles[1], valid_from=now - timedelta(days=2), valid_to=now
    )
    UserRole.objects.create(user=user, role=roles[2], valid_from=now + timedelta(days=1))
    UserRole.objects.create(user=user, role=roles[3], revoked_at=now)
    UserRole.objects.create(user=user, role=roles[4])
    roles[4].is_active = False
    roles[4].save()
    UserRole.objects.create(user=user, role=roles[5])
    roles[5].delete()
    assert list(UserRole.objects.current()) == [current]
    assert current.is_current()
    assert not UserRole.objects.get(role=roles[2]).is_current()


def test_bulk_create_gives_every_role_its_own_group():
    roles = Role.objects.bulk_create(
        [Role(name=f"R{i}", slug=f"r{i}", hierarchy_level=10 + i) for i in range(3)]
    )
    groups = {role.group_id for role in Role.objects.filter(pk__in=[r.pk for r in roles])}
    assert len(groups) == 3
    assert None not in groups
    with pytest.raises(InvalidHierarchyLevelError):
        Role.objects.bulk_create([Role(name="X", slug="x", hierarchy_level=0)])
    assert not Role.objects.filter(slug="x").exists()


def test_bulk_paths_refuse_with_the_package_error(manager_role, staff_role, make_user):
    with pytest.raises(InvalidHierarchyLevelError):
        Role.objects.update(hierarchy_level=101)
    with pytest.raises(BulkWriteError, match="slug"):
        Role.objects.update(slug="same")
    with pytest.raises(BulkWriteError, match="group"):
        Role.objects.filter(pk=staff_role.pk).update(group=manager_role.group)
    staff_role.hierarchy_level = 0
    with pytest.raises(InvalidHierarchyLevelError):
        Role.objects.bulk_update([staff_role], ["hierarchy_level"])
    user = make_user()
    UserRole.objects.create(user=user, role=manager_role)
    UserRole.objects.create(user=user, role=staff_role)
    with pytest.raises(BulkWriteError, match="role"):
        UserRole.objects.update(role=manager_role)
    with pytest.raises(BulkWriteError):
        UserRole.objects.update(is_primary=True)
    with pytest.raises(BulkWriteError):
        UserRole.objects.bulk_create([UserRole(user=user, role=staff_role)])
    assert UserRole.objects.filter(user=user).count() == 2
    assert UserRole.objects.filter(is_primary=True).count() == 0


def test_bulk_write_error_is_basemodels_error_and_names_what_refused(staff_role):
    with pytest.raises(BulkWriteError) as by_rule:
        Role.objects.update(slug="same")
    assert (
        by_rule.value.reason
        == by_rule.value.error
        == ("change the slug with save(); the group never")
    )
    assert "was refused: change the slug with save()" in str(by_rule.value)
    assert isinstance(by_rule.value, basemodels_errors.BulkWriteError)
    with pytest.raises(BulkWriteError) as by_database:
        Role.objects.filter(pk=staff_role.pk).bulk_create(
            [Role(name="Twin", slug=staff_role.slug, hierarchy_level=5)]
        )
    assert isinstance(by_database.value.reason, IntegrityError)
    assert "was refused by the database: " in str(by_database.value)


def test_bulk_paths_that_keep_the_invariants_go_through(manager_role, staff_role, make_user):
    from django.db.models import F

    assert Role.objects.filter(pk=staff_role.pk).update(hierarchy_level=30) == 1
    staff_role.refresh_from_db()
    assert staff_role.hierarchy_level == 30
    staff_role.description = "Desk staff"
    assert Role.objects.bulk_update([staff_role], ["description"]) == 1
    # An expression is the database's to check: the range constraint refuses it.
    with pytest.raises(BulkWriteError, match="hierarchy_level"):
        Role.objects.filter(pk=staff_role.pk).update(hierarchy_level=F("hierarchy_level") + 200)
    staff_role.refresh_from_db()
    assert staff_role.hierarchy_level == 30


def test_restoring_a_role_whose_slug_was_taken_is_refused(staff_role):
    staff_role.delete()
    Role.objects.create(name="New staff", slug="staff", hierarchy_level=20)
    with pytest.raises(BulkWriteError, match="deleted_at"):
        Role.deleted_objects.filter(pk=staff_role.pk).restore()
    assert Role.deleted_objects.filter(pk=staff_role.pk).exists()
    Role.objects.filter(slug="staff").delete()
    assert Role.deleted_objects.filter(pk=staff_role.pk).restore() == 1
