"""Definition admin: the state graph drawn as an inline SVG by the package."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.contrib import admin
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from django_encounters import conf
from django_encounters.admin.forms import EncounterDefinitionForm
from django_encounters.models import EncounterDefinition

if TYPE_CHECKING:  # the admin classes are generic for type checkers only
    DefinitionAdminBase = admin.ModelAdmin[EncounterDefinition]
else:
    DefinitionAdminBase = admin.ModelAdmin


def _mermaid_media() -> forms.Media:
    url = conf.get("ENCOUNTERS_MERMAID_JS_URL")
    return forms.Media(js=[url] if url else [])


@admin.register(EncounterDefinition)
class EncounterDefinitionAdmin(DefinitionAdminBase):
    form = EncounterDefinitionForm
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
        # to_svg() escapes every name it draws, so the markup is safe to insert as it is.
        svg = mark_safe(obj.to_svg())
        # The Mermaid text stays available, folded away, for pasting into documents (and for
        # the script of ENCOUNTERS_MERMAID_JS_URL, when a host configures one).
        return format_html(
            '<div class="encounter-diagram-box">{}</div><details><summary>Mermaid source'
            '</summary><pre class="mermaid">{}</pre></details>',
            svg,
            obj.to_mermaid(),
        )
