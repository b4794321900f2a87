"""A paginator whose count costs the same on a table of a thousand entries or of ten million."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.paginator import Paginator
from django.utils.functional import cached_property

from django_audit_log import conf

if TYPE_CHECKING:  # generic in the type stubs only
    _Paginator = Paginator[Any]
else:
    _Paginator = Paginator


class BoundedCountPaginator(_Paginator):
    """Counts at most ``AUDIT_LOG_ADMIN_COUNT_LIMIT + 1`` rows: ``COUNT(*)`` over a ``LIMIT``
    subquery, filtered or not. Past the limit the list says "more than N" entries
    (``more_than``) and offers pages up to the limit; filters and the search reach older
    entries.

    The count walks at most limit + 1 entries of the index that serves the list's filter (see
    the admin's indexes), so its cost stays bounded under filters too.
    """

    @cached_property
    def limit(self) -> int:
        return int(conf.get("AUDIT_LOG_ADMIN_COUNT_LIMIT"))

    @cached_property
    def count(self) -> int:
        queryset: Any = self.object_list  # the admin paginates querysets
        # Newest first by time alone: the order of the indexes that serve the filters (each
        # ends with created_at), so the count walks limit + 1 index entries without a sort,
        # and never the table's oldest pages (which pruning leaves dead until vacuumed).
        return int(queryset.order_by("-created_at")[: self.limit + 1].count())

    @property
    def more_than(self) -> int | None:
        """The limit when there are more entries than it, else ``None`` (the count is exact)."""
        return self.limit if self.count > self.limit else None

    @property
    def count_text(self) -> str:
        """The count as the list shows it: ``"42"``, or ``"more than 10,000"`` past the limit."""
        limit = self.more_than
        return f"{self.count:,}" if limit is None else f"more than {limit:,}"
