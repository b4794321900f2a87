"""Admin for every catalog model. Work items are filtered by board; the dispense log is read-only.

Status changes go through the services (admin actions), never through an editable field, so the
admin keeps the same rules as code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse

from django_basemodels.admin import ReadOnlyAdminMixin
from django_catalog import services
from django_catalog.exceptions import CatalogError
from django_catalog.models import (
    Basket,
    BasketItem,
    CatalogItem,
    CatalogSettings,
    DispenseLog,
    WorkItem,
)
from django_singleton.admin import SingletonModelAdmin

if TYPE_CHECKING:  # generic in the type stubs only
    _ModelAdmin = admin.ModelAdmin[Any]
    _CatalogItemAdmin = admin.ModelAdmin[CatalogItem]
    _BasketAdmin = admin.ModelAdmin[Basket]
    _BasketItemAdmin = admin.ModelAdmin[BasketItem]
    _WorkItemAdmin = admin.ModelAdmin[WorkItem]
    _DispenseLogAdmin = admin.ModelAdmin[DispenseLog]
    _BasketItemInline = admin.TabularInline[BasketItem, Basket]
    _DispenseLogInline = admin.TabularInline[DispenseLog, WorkItem]
else:
    _ModelAdmin = _CatalogItemAdmin = _BasketAdmin = _BasketItemAdmin = admin.ModelAdmin
    _WorkItemAdmin = _DispenseLogAdmin = admin.ModelAdmin
    _BasketItemInline = _DispenseLogInline = admin.TabularInline


WORK_ITEM_FIELDS = (
    "display_name",
    "kind",
    "quantity",
    "board",
    "routing_rule",
    "status",
    "priority",
    "assigned_to",
    "basket",
    "catalog_item",
    "started_at",
    "completed_at",
    "cancelled_at",
    "status_changed_by",
)


def _apply(
    modeladmin: _ModelAdmin,
    request: HttpRequest,
    rows: QuerySet[Any],
    operation: Callable[[Any], object],
) -> None:
    """Run ``operation`` on each row; report what worked and each refusal with its reason."""
    done = 0
    for row in rows:
        try:
            operation(row)
            done += 1
        except CatalogError as error:
            modeladmin.message_user(request, str(error), messages.ERROR)
    if done:
        modeladmin.message_user(request, f"{done} done.", messages.SUCCESS)


@admin.register(CatalogItem)
class CatalogItemAdmin(_CatalogItemAdmin):
    list_display = ["display_name", "kind", "service_category", "board", "active"]
    list_filter = ["kind", "active", "service_category"]
    search_fields = ["display_name", "service_category"]


@admin.register(CatalogSettings)
class CatalogSettingsAdmin(SingletonModelAdmin):
    pass


class BasketItemInline(_BasketItemInline):
    model = BasketItem
    extra = 0
    fields = ["catalog_item", "quantity", "notes", "display_name", "board", "added_by"]
    readonly_fields = ["display_name", "board", "added_by"]
    autocomplete_fields = ["catalog_item"]

    def _open(self, obj: Basket | None) -> bool:
        return obj is None or obj.is_draft

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._open(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._open(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._open(obj) and super().has_delete_permission(request, obj)


@admin.register(Basket)
class BasketAdmin(_BasketAdmin):
    list_display = ["id", "encounter", "status", "created_by", "created_at", "committed_at"]
    list_filter = ["status"]
    readonly_fields = ["status", "committed_by", "committed_at", "cancelled_by", "cancelled_at"]
    raw_id_fields = ["encounter", "created_by"]
    inlines = [BasketItemInline]
    actions = ["commit", "cancel"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # A saved basket keeps its encounter and author; only its items change, while a draft.
        fields = list(super().get_readonly_fields(request, obj))
        return fields if obj is None else [*fields, "encounter", "created_by"]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        for item in formset.save(commit=False):
            if item._state.adding:
                item.added_by = request.user
            item.save()
        for item in formset.deleted_objects:
            item.delete()
        formset.save_m2m()

    @admin.action(description="Commit selected baskets (spawn their work items)")
    def commit(self, request: HttpRequest, queryset: QuerySet[Basket]) -> None:
        _apply(self, request, queryset, lambda basket: services.commit_basket(basket, request.user))

    @admin.action(description="Cancel selected draft baskets")
    def cancel(self, request: HttpRequest, queryset: QuerySet[Basket]) -> None:
        _apply(self, request, queryset, lambda basket: services.cancel_basket(basket, request.user))


@admin.register(BasketItem)
class BasketItemAdmin(_BasketItemAdmin):
    list_display = ["display_name", "quantity", "basket", "board", "added_by", "created_at"]
    list_filter = ["board"]
    readonly_fields = ["display_name", "board", "routing_rule"]
    raw_id_fields = ["basket", "catalog_item", "added_by"]
    search_fields = ["display_name"]


class DispenseLogInline(ReadOnlyAdminMixin, _DispenseLogInline):
    model = DispenseLog
    extra = 0
    can_delete = False
    fields = readonly_fields = ("quantity", "dispensed_by", "dispensed_at", "notes")


@admin.register(WorkItem)
class WorkItemAdmin(_WorkItemAdmin):
    """The boards: an overview (``boards/``) and the list filtered by board and status."""

    list_display = ["display_name", "board", "status", "priority", "assigned_to", "created_at"]
    list_filter = ["board", "status", "kind", "priority"]
    list_select_related = ["assigned_to"]
    search_fields = ["display_name", "board"]
    fields = WORK_ITEM_FIELDS
    readonly_fields = [f for f in WORK_ITEM_FIELDS if f not in ("priority", "assigned_to")]
    raw_id_fields = ["assigned_to"]
    inlines = [DispenseLogInline]
    actions = ["start", "complete", "cancel"]

    def get_urls(self) -> list[URLPattern]:
        name = f"{self.opts.app_label}_{self.opts.model_name}_boards"
        view = self.admin_site.admin_view(self.boards_view)
        return [path("boards/", view, name=name), *super().get_urls()]

    def boards_view(self, request: HttpRequest) -> TemplateResponse:
        """Every board with its work item count per status, each linking to the list."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        counts: dict[str, dict[str, int]] = {}
        rows = WorkItem.objects.values("board", "status").annotate(count=Count("pk"))
        for row in rows.order_by("board"):
            counts.setdefault(row["board"], {})[row["status"]] = row["count"]
        boards = [
            {
                "name": board,
                "cells": [
                    {"status": status, "count": by_status.get(status, 0)}
                    for status in WorkItem.Status.values
                ],
            }
            for board, by_status in counts.items()
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Boards",
            "boards": boards,
            "statuses": WorkItem.Status.choices,
            "changelist_url": reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist",
                current_app=self.admin_site.name,
            ),
        }
        return TemplateResponse(request, "admin/django_catalog/workitem/boards.html", context)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # work items are spawned by committing a basket

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # records: cancel instead

    def _move(self, request: HttpRequest, queryset: QuerySet[WorkItem], status: str) -> None:
        _apply(
            self,
            request,
            queryset,
            lambda item: services.update_work_item_status(item, status, request.user),
        )

    @admin.action(description="Start selected work items")
    def start(self, request: HttpRequest, queryset: QuerySet[WorkItem]) -> None:
        self._move(request, queryset, "in_progress")

    @admin.action(description="Complete selected work items")
    def complete(self, request: HttpRequest, queryset: QuerySet[WorkItem]) -> None:
        self._move(request, queryset, "completed")

    @admin.action(description="Cancel selected work items")
    def cancel(self, request: HttpRequest, queryset: QuerySet[WorkItem]) -> None:
        self._move(request, queryset, "cancelled")


@admin.register(DispenseLog)
class DispenseLogAdmin(ReadOnlyAdminMixin, _DispenseLogAdmin):
    """Append-only: visible, never added, changed or deleted here (use ``dispense()``)."""

    list_display = ["work_item", "quantity", "dispensed_by", "dispensed_at"]
    list_select_related = ["work_item", "dispensed_by"]
    date_hierarchy = "dispensed_at"
