"""Admin: definitions with their diagram; encounters with a read-only history inline.

States change only through ``transition()``, so the admin never edits an encounter's state, and
transitions are read-only everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django import forms
from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString

from django_encounters import conf
from django_encounters.models import Encounter, EncounterDefinition, EncounterTransition

if TYPE_CHECKING:  # the admin classes are generic for type checkers only
    DefinitionAdminBase = admin.ModelAdmin[EncounterDefinition]
    EncounterAdminBase = admin.ModelAdmin[Encounter]
    TransitionAdminBase = admin.ModelAdmin[EncounterTransition]
    TransitionInlineBase = admin.TabularInline[EncounterTransition, Encounter]
else:
    DefinitionAdminBase = EncounterAdminBase = TransitionAdminBase = admin.ModelAdmin
    TransitionInlineBase = admin.TabularInline


def _mermaid_media() -> forms.Media:
    url = conf.get("ENCOUNTERS_MERMAID_JS_URL")
    return forms.Media(js=[url] if url else [])


@admin.register(EncounterDefinition)
class EncounterDefinitionAdmin(DefinitionAdminBase):
    list_display = ("name", "code", "initial_state", "created_at")
    search_fields = ("name", "code")
    readonly_fields = ("diagram",)

    @property
    def media(self) -> forms.Media:
        return super().media + _mermaid_media()

    @admin.display(description="diagram")
    def diagram(self, obj: EncounterDefinition | None) -> SafeString | str:
        if obj is None or obj._state.adding or not obj.states:
            return "-"
        # With ENCOUNTERS_MERMAID_JS_URL set, the script draws <pre class="mermaid"> blocks.
        return format_html('<pre class="mermaid">{}</pre>', obj.to_mermaid())


class EncounterTransitionInline(TransitionInlineBase):
    model = EncounterTransition
    fields = (
        "from_state",
        "to_state",
        "effective_at",
        "transitioned_at",
        "transitioned_by",
        "reason",
    )
    readonly_fields = fields
    ordering = ("transitioned_at",)
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Encounter)
class EncounterAdmin(EncounterAdminBase):
    list_display = (
        "__str__",
        "definition",
        "state",
        "subject_content_type",
        "subject_id",
        "created_at",
    )
    list_filter = ("definition", "state")
    list_select_related = ("definition", "subject_content_type")
    search_fields = ("subject_id", "notes")
    readonly_fields = ("state", "state_since", "ended_at")
    inlines = [EncounterTransitionInline]

    def get_deleted_objects(
        self, objs: Iterable[Encounter], request: HttpRequest
    ) -> tuple[list[str], dict[str, int], set[str], list[str]]:
        """Deleting here is a soft delete: the history stays, so nothing else is affected.

        (Django's collector would report the PROTECTed transitions and refuse.)
        """
        objs = list(objs)
        perms_needed = set() if self.has_delete_permission(request) else {"encounter"}
        return [str(obj) for obj in objs], {"encounters": len(objs)}, perms_needed, []

    def get_readonly_fields(
        self, request: HttpRequest, obj: Encounter | None = None
    ) -> tuple[str, ...]:
        # The definition is chosen once; after that only transition() changes anything about it.
        if obj is not None:
            return (*self.readonly_fields, "definition")
        return self.readonly_fields


@admin.register(EncounterTransition)
class EncounterTransitionAdmin(TransitionAdminBase):
    """Append-only: visible, never added, changed or deleted here."""

    list_display = ("encounter", "from_state", "to_state", "effective_at", "transitioned_by")
    list_select_related = ("encounter__definition", "transitioned_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: EncounterTransition | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: EncounterTransition | None = None
    ) -> bool:
        return False
