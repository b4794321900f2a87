import itertools

import pytest
from django.contrib.auth.models import Permission

from django_rbac.models import Role, UserRole
from tests.testapp.models import User

_names = itertools.count()


@pytest.fixture
def make_user(db):
    def make(level=None, **fields):
        user = User.objects.create_user(f"user{next(_names)}", **fields)
        if level is not None:
            role = Role.objects.create(
                name=f"Level {level} {user.username}",
                slug=f"level-{level}-{user.username}",
                hierarchy_level=level,
            )
            UserRole.objects.create(user=user, role=role)
        return user

    return make


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", "root@example.com", "pw")


@pytest.fixture
def staff_role(db):
    return Role.objects.create(name="Staff", slug="staff", hierarchy_level=20)


@pytest.fixture
def manager_role(db):
    return Role.objects.create(name="Manager", slug="manager", hierarchy_level=60)


@pytest.fixture
def director_role(db):
    return Role.objects.create(name="Director", slug="director", hierarchy_level=80)


@pytest.fixture
def grant():
    """Put module permissions (``"practice.view"``...) into a role's group."""

    def add(role, *codenames):
        perms = Permission.objects.filter(
            content_type__app_label="django_rbac", codename__in=codenames
        )
        assert perms.count() == len(codenames)
        role.group.permissions.add(*perms)

    return add
