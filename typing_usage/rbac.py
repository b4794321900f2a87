"""The public types of django-rbac, as a user's code sees them."""

from typing import Any

from typing_extensions import assert_type

import django_rbac
from django_rbac import RBACError, Role, UserRole, assign_role, revoke_role


def usage(user: Any, manager: Any, role: Role) -> None:
    assert_type(django_rbac.__version__, str)
    assert_type(assign_role(user, role, manager), UserRole)
    assert_type(revoke_role(user, role, manager), UserRole)
    error: Exception = RBACError("x")
    assert_type(error, Exception)
