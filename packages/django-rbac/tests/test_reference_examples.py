"""The django-rbac usage example of the package roadmap, run as written.

The example's model definition, ``class User(RBACUserMixin, AbstractUser): pass``, is the test
app's user model (tests/testapp/models.py), word for word. Everything else below is the example's
own code; each expression's documented result (its comment) is asserted next to it. It runs on a
fresh install: ``RBAC_MODULES`` is not set.
"""

# ruff: noqa: I001  (the example's imports, in the example's order)
import pytest
from django.contrib.auth.models import Permission

# The example's imports, as written:
from django_rbac.models import Role, UserRole
from django_rbac.mixins import RBACUserMixin
from django_rbac.decorators import require_permission, requires_hierarchy_level
from django_rbac.views import ModulePermissionMixin, HierarchyPermissionMixin

from tests.testapp.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_install(settings):
    del settings.RBAC_MODULES


@pytest.fixture
def user(db):
    manager = Role.objects.create(name="Manager", slug="manager", hierarchy_level=60)
    staff = Role.objects.create(name="Staff", slug="staff", hierarchy_level=20)
    user = User.objects.create_user("alice")
    UserRole.objects.create(user=user, role=manager)
    UserRole.objects.create(user=user, role=staff)
    return user


@pytest.fixture
def other(db):
    clerk = Role.objects.create(name="Clerk", slug="clerk", hierarchy_level=10)
    other = User.objects.create_user("bob")
    UserRole.objects.create(user=other, role=clerk)
    return other


def test_the_examples_names_exist():
    assert issubclass(User, RBACUserMixin)
    assert callable(require_permission)
    assert {ModulePermissionMixin.__name__, HierarchyPermissionMixin.__name__} == {
        "ModulePermissionMixin",
        "HierarchyPermissionMixin",
    }


def test_user_methods(user, other):
    # User methods
    assert user.hierarchy_level == 60  # 60 (from highest role)
    assert user.can_manage_user(other) is True  # True if level > other's level
    assert list(user.get_manageable_roles()) == list(
        Role.objects.filter(hierarchy_level__lt=60)
    )  # Roles below user's level
    assert user.has_module_permission("practice", "view") is False  # Permission check
    assert other.can_manage_user(user) is False


def test_module_permission_on_a_fresh_install_answers_from_the_roles(user):
    assert user.has_module_permission("practice", "view") is False  # nothing grants it yet
    manager = Role.objects.get(slug="manager")
    manager.group.permissions.add(
        Permission.objects.get_or_create(
            codename="practice.view",
            content_type__app_label="django_rbac",
            defaults={"name": "Can view practice", "content_type": _role_content_type()},
        )[0]
    )
    assert User.objects.get(pk=user.pk).has_module_permission("practice", "view") is True


def _role_content_type():
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Role)


def test_requires_hierarchy_level(rf, user, other):
    from django.core.exceptions import PermissionDenied

    @requires_hierarchy_level(60)  # Manager or higher
    def approve_leave_request(request): ...

    request = rf.get("/leave/approve/")
    request.user = user
    assert approve_leave_request(request) is None  # the view ran: it returns what it returns
    request.user = other
    with pytest.raises(PermissionDenied):
        approve_leave_request(request)
