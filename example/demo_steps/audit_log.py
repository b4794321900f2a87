"""django-audit-log: the trail of everything the demo did, and proof that it is append-only."""

from __future__ import annotations

from django_audit_log import AuditLog, AuditLogImmutableError, audit_context, log_event

LAST = 25


def _changes(entry: AuditLog) -> str:
    parts = []
    for name, change in list(entry.changes.items())[:3]:
        if isinstance(change, dict) and "old" in change:
            parts.append(f"{name}: {change['old']!r} -> {change.get('new')!r}")
        else:
            parts.append(f"{name}: {change.get('new') if isinstance(change, dict) else change!r}")
    more = len(entry.changes) - len(parts)
    return "; ".join(parts) + (f" (+{more} more)" if more > 0 else "")


def run(ctx) -> None:
    with audit_context(actor=ctx.admin, request_id="demo"):
        closing = log_event("demo.finished", metadata={"steps": 9}, sensitivity="high")
    total = AuditLog.objects.count()
    ctx.say(f"Everything the demo did went to the audit log: {total} entries so far.")
    ctx.say(f"The last {min(LAST, total)}, newest first (time, actor, action, target, changes):")
    for entry in AuditLog.objects.select_related("target_content_type")[:LAST]:
        actor = entry.actor_display or ("system" if entry.is_system else "anonymous")
        target = entry.target_repr or "-"
        when = entry.created_at.strftime("%H:%M:%S")
        ctx.say(f"  {when}  {actor:<12} {entry.action:<28} {target:<30} {_changes(entry)}")
    try:
        AuditLog.objects.filter(pk=closing.pk).update(action="nothing happened")
    except AuditLogImmutableError as error:
        ctx.say(f"Rewriting history is refused: {error}")
    ctx.say("On PostgreSQL a trigger refuses raw UPDATE/DELETE/TRUNCATE as well.")
