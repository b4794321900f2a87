"""Admin: modules with their organization overrides inline; overrides searchable by organization.

Django's admin classes are generic only in django-stubs, not at run time (they cannot be
subscripted), so the classes below derive from them unparameterized (``type-arg`` ignored).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.http import HttpRequest

from django_modules.models import Module, OrgModuleState

# Fields of the organization model that admin search looks in, when the model has them.
ORG_SEARCH_CANDIDATES = ("name", "display_name", "legal_name", "title", "slug", "code")


def org_search_fields() -> list[str]:
    org_model: Any = OrgModuleState._meta.get_field("org").related_model
    found = []
    for name in ORG_SEARCH_CANDIDATES:
        try:
            field = org_model._meta.get_field(name)
        except (FieldDoesNotExist, AttributeError):
            continue
        if field.get_internal_type() in {"CharField", "SlugField", "TextField"}:
            found.append(f"org__{name}")
    return found


class OrgModuleStateInline(admin.TabularInline):  # type: ignore[type-arg]
    model = OrgModuleState
    fields = ("org", "enabled")
    raw_id_fields = ("org",)
    extra = 0


class ModuleAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("key", "name", "active", "updated_at")
    list_filter = ("active",)
    search_fields = ("key", "name", "description")
    readonly_fields = ("created_at", "updated_at")
    inlines = [OrgModuleStateInline]


class OrgModuleStateAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("module", "org", "enabled", "updated_at")
    list_filter = ("enabled", "module")
    list_select_related = ("module", "org")
    raw_id_fields = ("org",)
    readonly_fields = ("created_at", "updated_at")

    def get_search_fields(self, request: HttpRequest) -> list[str]:
        return ["module__key", "module__name", *org_search_fields()]


# Without a usable MODULES_ORG_MODEL the organization foreign key points nowhere and Django's own
# admin checks would crash on it; leave the admin out so that modules.E001-E003 explain instead.
if not isinstance(OrgModuleState._meta.get_field("org").related_model, str):
    admin.site.register(Module, ModuleAdmin)
    admin.site.register(OrgModuleState, OrgModuleStateAdmin)
