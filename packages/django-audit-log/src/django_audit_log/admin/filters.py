"""List filters whose choices come from what the package knows, never from the table.

Django's default filter for a plain ``CharField`` runs ``SELECT DISTINCT`` over the whole
table on every page; on ten million entries that costs more than the page itself.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from django_audit_log import conf
from django_audit_log.services import PRUNE_ACTION
from django_audit_log.signals import connected_actions

# The actions the package writes itself: tracking (AuditTrackedModel, soft delete) and prune().
OWN_ACTIONS = ("create", "update", "delete", "restore", PRUNE_ACTION)


def known_actions() -> list[str]:
    """The package's own actions, those wired with ``connect_signal()`` and those listed in
    ``AUDIT_LOG_ADMIN_ACTIONS``, sorted."""
    listed = conf.get("AUDIT_LOG_ADMIN_ACTIONS")
    return sorted({*OWN_ACTIONS, *connected_actions(), *listed})


class ActionFilter(admin.SimpleListFilter):
    """Filters by action (served by the ``(action, created_at)`` index). Any action given in
    the address is honoured, listed or not."""

    title = "action"
    parameter_name = "action__exact"

    def lookups(self, request: Any, model_admin: Any) -> list[tuple[str, str]]:
        actions = known_actions()
        chosen = self.value()
        if chosen and chosen not in actions:  # typed in the address: show it as chosen
            actions.append(chosen)
        return [(action, action) for action in actions]

    def queryset(self, request: Any, queryset: Any) -> Any:
        chosen = self.value()
        return queryset.filter(action=chosen) if chosen else queryset
