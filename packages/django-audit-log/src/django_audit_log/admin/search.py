"""The admin's search box: ids matched exactly through indexes, free text in a bounded window.

- An id (the whole input, spaces trimmed) is matched exactly against ``request_id`` (its own
  index), ``target_id`` (the ``(target_content_type, target_id, created_at)`` index, probed
  once per content type) and, when the input is a UUID, the entry's own key. These arms cost
  the same whatever the size of the table.
- Unless the input is a UUID, it is also matched as text (case-insensitive, anywhere) in
  ``actor_display`` and ``target_repr``, among the newest ``AUDIT_LOG_ADMIN_SEARCH_WINDOW``
  entries only: no index serves a substring search, so the window is what bounds its cost.

The arms are OR-ed in one condition that PostgreSQL serves with a bitmap of index scans (the
text arm through the ``created_at`` index); the list's filters apply on top.

While searching, the list is sorted newest first by ``NEWEST_MATCH_FIRST``, a sort key no index
serves. Ordered by ``created_at`` itself, with ``LIMIT 50``, PostgreSQL may instead walk the
``created_at`` index newest first and test each entry, whenever it expects the matches to be
many and evenly spread (an id with a hundred entries, one every few hours): it then reads half
the table to reach fifty of them. With this key it reads the matches through their indexes and
sorts them, a cost that follows the number of matches, whatever the size of the table.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.db.models.functions import Coalesce

from django_audit_log import conf
from django_audit_log.models import AuditLog

HELP_TEXT = (
    "An entry id, target id or request id finds every entry with exactly that id. Other text "
    "matches the actor's name and the target's description among the newest {window} entries."
)


# created_at, as a sort key that no index serves (COALESCE of a column that is never null with
# itself: the same value, the same order). See the module's docstring.
NEWEST_MATCH_FIRST = Coalesce("created_at", "created_at").desc()


def help_text() -> str:
    return HELP_TEXT.format(window=f"{conf.get('AUDIT_LOG_ADMIN_SEARCH_WINDOW'):,}")


def search(queryset: Any, text: str) -> Any:
    """``queryset`` narrowed to the entries that ``text`` finds (see the module's docstring)."""
    term = text.strip()
    if not term:
        return queryset
    entry_id = _as_uuid(term)
    ids = {term} if entry_id is None else {term, str(entry_id)}
    using = queryset.db
    # Listed, not a subquery: PostgreSQL can use an index for "= ANY(list)" inside an OR, not
    # for "IN (SELECT ...)". The content type table is small (one row per model).
    content_types = list(ContentType.objects.db_manager(using).values_list("pk", flat=True))
    found = Q(request_id__in=ids) | Q(target_content_type__in=content_types, target_id__in=ids)
    if entry_id is not None:
        found |= Q(pk=entry_id)
    else:
        text_match = Q(actor_display__icontains=term) | Q(target_repr__icontains=term)
        oldest = _window_start(using)
        found |= text_match if oldest is None else Q(created_at__gte=oldest) & text_match
    return queryset.filter(found)


def _as_uuid(term: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(term)
    except ValueError:
        return None


def _window_start(using: str) -> Any:
    """The time of the oldest entry in the search window, or ``None`` when the table holds
    fewer entries than the window (one query: a walk of the ``created_at`` index)."""
    window = int(conf.get("AUDIT_LOG_ADMIN_SEARCH_WINDOW"))
    newest_first = AuditLog.objects.using(using).order_by("-created_at")
    return next(iter(newest_first.values_list("created_at", flat=True)[window - 1 : window]), None)
