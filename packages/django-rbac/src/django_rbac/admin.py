"""Admin for roles and assignments that refuses privilege escalation.

A staff user sees every role but changes only roles below their own level, can only create roles
below it, can only grant permissions their own roles hold, and assigns or revokes roles through
``assign_role`` / ``revoke_role`` (so the same rules and signals apply). Assignments are never
deleted from the admin: they are revoked, keeping the history. ``RBACUserAdminMixin`` brings the
same rule to the host's user admin. Active superusers are the exception, as everywhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from django_rbac import access
from django_rbac.exceptions import RBACError, RoleEscalationError
from django_rbac.models import Role, UserRole
from django_rbac.services import assign_role, check_can_manage, revoke_role

# Django's admin and form classes take type arguments for the type checker only.
if TYPE_CHECKING:
    _RoleForm = forms.ModelForm[Role]
    _UserRoleForm = forms.ModelForm[UserRole]
    _RoleModelAdmin = admin.ModelAdmin[Role]
    _UserRoleModelAdmin = admin.ModelAdmin[UserRole]
else:
    _RoleForm = _UserRoleForm = forms.ModelForm
    _RoleModelAdmin = _UserRoleModelAdmin = admin.ModelAdmin


def _grantable_permissions(actor: Any) -> QuerySet[Permission]:
    """Permissions ``actor`` may put into a role: all for a superuser, else their own."""
    permissions: QuerySet[Permission] = Permission.objects.select_related("content_type")
    if not access.is_superuser(actor):
        mine = UserRole.objects.current().filter(user_id=actor.pk).values("role__group_id")
        permissions = permissions.filter(group__in=mine).distinct()
    return permissions


class RoleAdminForm(_RoleForm):
    actor: Any = None
    permissions = forms.ModelMultipleChoiceField(
        queryset=Permission.objects.none(),
        required=False,
        widget=FilteredSelectMultiple("permissions", is_stacked=False),
    )

    class Meta:
        model = Role
        fields = ("name", "slug", "description", "hierarchy_level", "is_active")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._permissions_field().queryset = _grantable_permissions(self.actor)
        if self.instance.group_id is not None:
            self.fields["permissions"].initial = list(
                self.instance.group.permissions.values_list("pk", flat=True)
            )

    def _permissions_field(self) -> forms.ModelMultipleChoiceField[Permission]:
        return cast("forms.ModelMultipleChoiceField[Permission]", self.fields["permissions"])

    def clean_hierarchy_level(self) -> int:
        level = int(self.cleaned_data["hierarchy_level"])
        if not access.is_superuser(self.actor) and level >= access.hierarchy_level(self.actor):
            probe = Role(slug=self.cleaned_data.get("slug", "?"), hierarchy_level=level)
            raise ValidationError(
                str(RoleEscalationError(self.actor, probe, access.hierarchy_level(self.actor)))
            )
        return level

    def save_permissions(self, role: Role) -> None:
        # Permissions the actor cannot see are kept: they were not theirs to remove.
        visible = set(_grantable_permissions(self.actor).values_list("pk", flat=True))
        kept = set(role.group.permissions.values_list("pk", flat=True)) - visible
        chosen = {permission.pk for permission in self.cleaned_data["permissions"]}
        role.group.permissions.set(kept | chosen)


@admin.register(Role)
class RoleAdmin(_RoleModelAdmin):
    form = RoleAdminForm
    list_display = ("name", "slug", "hierarchy_level", "is_active", "group")
    list_filter = ("is_active",)
    list_select_related = ("group",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("group",)

    def get_form(
        self, request: Any, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> type[_RoleForm]:
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or access.can_manage_role(request.user, obj))

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or access.can_manage_role(request.user, obj))

    def save_model(self, request: Any, obj: Role, form: RoleAdminForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        form.save_permissions(obj)


class UserRoleAdminForm(_UserRoleForm):
    actor: Any = None

    class Meta:
        model = UserRole
        fields = ("user", "role", "valid_from", "valid_to", "is_primary")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        user = cleaned.get("user") or getattr(self.instance, "user", None)
        role = cleaned.get("role") or getattr(self.instance, "role", None)
        if user is not None and role is not None:
            try:
                check_can_manage(self.actor, user, role)
            except RBACError as error:
                raise ValidationError(str(error)) from error
        return cleaned


@admin.register(UserRole)
class UserRoleAdmin(_UserRoleModelAdmin):
    form = UserRoleAdminForm
    list_display = ("user", "role", "valid_from", "valid_to", "revoked_at", "is_primary")
    list_filter = ("role", "is_primary")
    list_select_related = ("user", "role", "assigned_by", "revoked_by")
    raw_id_fields = ("user",)
    readonly_fields = ("assigned_by", "revoked_at", "revoked_by")
    actions = ["revoke_selected"]

    def get_form(
        self, request: Any, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> type[_UserRoleForm]:
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        fixed = ("user", "role", "valid_from") if obj is not None else ()
        return (*fixed, *self.readonly_fields)

    def formfield_for_foreignkey(
        self, db_field: Any, request: Any, **kwargs: Any
    ) -> forms.ModelChoiceField[Any] | None:
        if db_field.name == "role":
            kwargs["queryset"] = access.manageable_roles(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or self._manages(request.user, obj))

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False  # assignments are revoked, never deleted, so the history stays

    def save_model(self, request: Any, obj: UserRole, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            access.clear_cache(obj.user)
            return
        created = assign_role(
            obj.user,
            obj.role,
            request.user,
            valid_from=obj.valid_from,
            valid_to=obj.valid_to,
            is_primary=obj.is_primary,
        )
        obj.pk = created.pk
        obj._state.adding = False

    @admin.action(description="Revoke the selected assignments", permissions=["change"])
    def revoke_selected(self, request: Any, queryset: Any) -> None:
        revoked = 0
        for assignment in queryset.open().select_related("user", "role"):
            try:
                revoke_role(assignment.user, assignment.role, request.user)
                revoked += 1
            except RBACError as error:
                self.message_user(request, str(error), messages.ERROR)
        self.message_user(request, f"{revoked} assignment(s) revoked.")

    @staticmethod
    def _manages(actor: Any, assignment: UserRole) -> bool:
        return access.can_manage_role(actor, assignment.role) and access.can_manage_user(
            actor, assignment.user
        )


class RBACUserAdminMixin:
    """Mix into the host's ``UserAdmin``: staff may change or delete only users below their own
    level, and only superusers may touch ``is_superuser``, groups and direct permissions."""

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        allowed = bool(cast(Any, super()).has_change_permission(request, obj))
        return allowed and (obj is None or access.can_manage_user(request.user, obj))

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        allowed = bool(cast(Any, super()).has_delete_permission(request, obj))
        return allowed and (obj is None or access.can_manage_user(request.user, obj))

    def get_readonly_fields(self, request: Any, obj: Any = None) -> tuple[str, ...]:
        fields = tuple(cast(Any, super()).get_readonly_fields(request, obj))
        if access.is_superuser(request.user):
            return fields
        return (*fields, "is_superuser", "groups", "user_permissions")
