"""``RoleBackend``: Django's ``has_perm`` answered from the user's current roles.

Add ``"django_rbac.backends.RoleBackend"`` to ``AUTHENTICATION_BACKENDS`` (next to
``ModelBackend``) and ``user.has_perm("django_rbac.practice.view")`` or
``user.has_perm("app.change_model")`` becomes true for the permissions in the groups of the
user's current roles, the admin included. Expired, revoked, inactive or deleted roles grant
nothing. It authenticates nobody.
"""

from __future__ import annotations

from typing import Any

from django_rbac import access


class RoleBackend:
    def authenticate(self, request: Any, **credentials: Any) -> None:
        return None

    def get_user(self, user_id: Any) -> None:
        return None

    def get_group_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if obj is not None or not getattr(user_obj, "is_active", False):
            return set()
        return set(access.role_permissions(user_obj))

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return self.get_group_permissions(user_obj, obj)

    def get_user_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return perm in self.get_all_permissions(user_obj, obj)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return any(perm.startswith(f"{app_label}.") for perm in self.get_all_permissions(user_obj))
