"""``SingletonModelAdmin``: the admin of a one-row model goes straight to that row."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse

from django_singleton.models import SINGLETON_PK

# ModelAdmin is generic for the type checker only; at runtime it cannot be subscripted.
if TYPE_CHECKING:
    _ModelAdmin = admin.ModelAdmin[Any]
else:
    _ModelAdmin = admin.ModelAdmin


class SingletonModelAdmin(_ModelAdmin):
    """No add once the row exists, no delete, and the changelist redirects to the row.

    While the table is empty the changelist opens the add form, so the row can be created by
    hand when some field has no default.
    """

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and not self._row_exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def changelist_view(
        self, request: HttpRequest, extra_context: Any = None
    ) -> HttpResponseRedirect:
        opts = self.model._meta
        if self._row_exists():
            url = reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change",
                args=[SINGLETON_PK],
                current_app=self.admin_site.name,
            )
        else:
            url = reverse(
                f"admin:{opts.app_label}_{opts.model_name}_add", current_app=self.admin_site.name
            )
        return HttpResponseRedirect(url)

    def _row_exists(self) -> bool:
        return bool(self.model._default_manager.filter(pk=SINGLETON_PK).exists())
