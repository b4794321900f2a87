"""A paginator whose count costs the same for a thousand transitions or ten million.

The pattern of django-audit-log's admin paginator (``COUNT(*)`` over a ``LIMIT`` subquery,
"more than N" past the limit). A shared one would belong in django-basemodels; until then each
package keeps its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.paginator import Paginator
from django.utils.functional import cached_property

if TYPE_CHECKING:  # generic in the type stubs only
    _Paginator = Paginator[Any]
else:
    _Paginator = Paginator


class BoundedCountPaginator(_Paginator):
    """Counts at most ``count_limit + 1`` transitions, filtered or not. Past the limit the list
    says "more than N" (``count_text``) and offers pages up to the limit; the encounter filter
    (``?encounter=<pk>``, the encounter page's link) reaches the rest.
    """

    count_limit = 10_000

    @cached_property
    def count(self) -> int:
        queryset: Any = self.object_list  # the admin paginates querysets
        # No ORDER BY: any limit + 1 rows tell whether there are more, and the scan stops there
        # (a sort would read every row first).
        return int(queryset.order_by()[: self.count_limit + 1].count())

    @property
    def more_than(self) -> int | None:
        """The limit when there are more rows than it, else ``None`` (the count is exact)."""
        return self.count_limit if self.count > self.count_limit else None

    @property
    def count_text(self) -> str:
        """The count as the list shows it: ``"42"``, or ``"more than 10,000"`` past the limit."""
        limit = self.more_than
        return f"{self.count:,}" if limit is None else f"more than {limit:,}"
