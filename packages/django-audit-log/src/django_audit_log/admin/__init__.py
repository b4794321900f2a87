"""The admin of django-audit-log: entries and seals, read-only, at a cost that does not grow
with the table (see ``entries``)."""

from django_audit_log.admin.entries import AuditLogAdmin, BoundedCountPaginator
from django_audit_log.admin.filters import ActionFilter, known_actions
from django_audit_log.admin.seals import AuditSealAdmin

__all__ = [
    "ActionFilter",
    "AuditLogAdmin",
    "AuditSealAdmin",
    "BoundedCountPaginator",
    "known_actions",
]
