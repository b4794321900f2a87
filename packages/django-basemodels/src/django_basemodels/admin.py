"""Admin support for soft-deletable models, and for tables nobody edits by hand.

django-basemodels defines only abstract models, so it registers nothing itself. Any admin of a
soft-deletable model already soft-deletes: "delete selected" and the delete view call
``QuerySet.delete()`` / ``Model.delete()``, which are soft. ``SoftDeleteAdmin`` adds a filter
(alive, the default; deleted; all), lists deleted rows through ``all_objects``, and the actions
"restore" and "delete permanently". ``ReadOnlyAdminMixin`` shows a model and offers no way to
add, change or delete its rows (append-only records, totals the database keeps).
``BoundedCountPaginator`` is a changelist paginator whose count stops at a bound.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from django_basemodels.exceptions import CountLimitError

# ModelAdmin is generic for the type checker only; at runtime it cannot be subscripted.
if TYPE_CHECKING:
    _ModelAdmin = admin.ModelAdmin[Any]
    _Paginator = Paginator[Any]
else:
    _ModelAdmin = admin.ModelAdmin
    _Paginator = Paginator


class ReadOnlyAdminMixin:
    """Mix in before ``ModelAdmin`` (or an inline): rows are listed and opened, never added,
    changed or deleted here, whatever the user's permissions.

    For tables only code writes, where a form would either bypass the rules of the service that
    writes them or be refused by the database. Users with the view permission see the rows.
    """

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DeletedFilter(admin.SimpleListFilter):
    """Alive rows unless asked otherwise: ``?deleted=yes`` or ``?deleted=all``."""

    title = _("deleted")
    parameter_name = "deleted"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("no", _("Alive")), ("yes", _("Deleted")), ("all", _("All"))]

    def choices(self, changelist: Any) -> Any:
        # Django's own first choice is "All" when no value is given; here no value means alive.
        current = self.value() or "no"
        for lookup, title in self.lookup_choices:
            yield {
                "selected": current == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def value(self) -> str | None:
        value = super().value()
        return value if value in {"no", "yes", "all"} else None

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "all":
            return queryset
        deleted = self.value() == "yes"
        filtered: QuerySet[Any] = queryset.filter(deleted_at__isnull=not deleted)
        return filtered


@admin.action(description=_("Restore selected %(verbose_name_plural)s"), permissions=["change"])
def restore_selected(
    modeladmin: admin.ModelAdmin[Any], request: HttpRequest, queryset: Any
) -> None:
    restored = queryset.restore()
    modeladmin.message_user(
        request,
        ngettext("Restored %(count)d row.", "Restored %(count)d rows.", restored)
        % {"count": restored},
        messages.SUCCESS,
    )


@admin.action(
    description=_("Delete selected %(verbose_name_plural)s permanently"), permissions=["delete"]
)
def hard_delete_selected(
    modeladmin: admin.ModelAdmin[Any], request: HttpRequest, queryset: Any
) -> None:
    total, _counts = queryset.hard_delete()
    modeladmin.message_user(
        request,
        ngettext("Deleted %(count)d row permanently.", "Deleted %(count)d rows permanently.", total)
        % {"count": total},
        messages.SUCCESS,
    )


class SoftDeleteAdmin(_ModelAdmin):
    """Mix into (or subclass for) the admin of a soft-deletable model."""

    actions = [restore_selected, hard_delete_selected]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        # all_objects, so that deleted rows can be listed, opened and restored; the changelist
        # shows alive rows by default through DeletedFilter.
        queryset: QuerySet[Any] = self.model.all_objects.get_queryset()
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset

    def get_list_filter(self, request: HttpRequest) -> Any:
        filters = list(super().get_list_filter(request))
        return [DeletedFilter, *[f for f in filters if f is not DeletedFilter]]

    def get_list_display(self, request: HttpRequest) -> Any:
        display = list(super().get_list_display(request))
        return display if "deleted_at" in display else [*display, "deleted_at"]


class BoundedCountPaginator(_Paginator):
    """A changelist paginator (``ModelAdmin.paginator``) whose count costs the same on a table
    of a thousand rows or of ten million: ``COUNT(*)`` over a ``LIMIT`` subquery, filtered or
    not. Pages reach as far as the count; the list's filters reach the rows past it.

    Subclass it for a list and set:

    - ``count_limit``: the bound, a positive integer (10,000 by default); override
      ``get_count_limit()`` to read it from a setting instead.
    - ``count_ordering``: the ``ORDER BY`` of the counted rows. Empty by default: any rows tell
      whether there are more, and without a sort the scan stops at the bound. Name an order when
      the indexes that serve the list's filters end with it, so the count walks one of them.
    - ``says_more_than``: ``True`` (the default) counts one row past the bound, so that a longer
      list reads "more than N" (``more_than``, ``count_text``). ``False`` counts at most the
      bound, which a longer list then shows as its size.

    Pair it with ``show_full_result_count = False`` (or Django counts the whole table too), and
    with the template ``admin/django_basemodels/bounded_count_pagination.html`` for the "more
    than N" text: the list's own ``admin/<app>/<model>/pagination.html`` extends it.
    """

    count_limit: int = 10_000
    count_ordering: tuple[str, ...] = ()
    says_more_than: bool = True

    def get_count_limit(self) -> int:
        """The bound of this list's count (``count_limit`` unless overridden)."""
        return self.count_limit

    @cached_property
    def limit(self) -> int:
        """The bound in force for this paginator, read once."""
        limit = self.get_count_limit()
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise CountLimitError(type(self), limit)
        return limit

    @cached_property
    def count(self) -> int:
        queryset: Any = self.object_list  # the admin paginates querysets
        rows = self.limit + 1 if self.says_more_than else self.limit
        return int(queryset.order_by(*self.count_ordering)[:rows].count())

    @property
    def more_than(self) -> int | None:
        """The bound when the list holds more rows than it, else ``None`` (the count is exact)."""
        return self.limit if self.count > self.limit else None

    @property
    def count_text(self) -> str:
        """The count as the list shows it: ``"42"``, or ``"more than 10,000"`` past the bound."""
        limit = self.more_than
        return f"{self.count:,}" if limit is None else f"more than {limit:,}"
