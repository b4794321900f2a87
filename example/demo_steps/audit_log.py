"""django-audit-log: the trail of everything the demo did, and proof that it is append-only."""

from __future__ import annotations

from django_audit_log import AuditLog, AuditLogImmutableError, log_event
from django_audit_log.context import current_context


def _changes(entry: AuditLog) -> str:
    parts = []
    changed = {
        name: change
        for name, change in entry.changes.items()
        if not (isinstance(change, dict) and change.get("old") == change.get("new"))
    }
    for name, change in list(changed.items())[:3]:
        if isinstance(change, dict) and "old" in change:
            parts.append(f"{name}: {change['old']!r} -> {change.get('new')!r}")
        else:
            parts.append(f"{name}: {change.get('new') if isinstance(change, dict) else change!r}")
    more = len(changed) - len(parts)
    return "; ".join(parts) + (f" (+{more} more)" if more > 0 else "")


def run(ctx) -> None:
    closing = log_event("demo.finished", metadata={"steps": 9}, sensitivity="high")
    # The demo runs inside one audit context: its request id finds exactly this run's entries.
    context = current_context()
    entries = AuditLog.objects.order_by("created_at", "id")
    if context is not None and context.request_id:
        entries = entries.filter(request_id=context.request_id)
    ctx.say(f"Everything this run did is in the audit log: {entries.count()} entries.")
    ctx.say("In order (time, actor, action, target, changes):")
    for entry in entries:
        actor = entry.actor_display or ("system" if entry.is_system else "anonymous")
        target = entry.target_repr or "-"
        when = entry.created_at.strftime("%H:%M:%S")
        ctx.say(f"  {when}  {actor:<12} {entry.action:<28} {target:<30} {_changes(entry)}")
    try:
        AuditLog.objects.filter(pk=closing.pk).update(action="nothing happened")
    except AuditLogImmutableError as error:
        ctx.say(f"Rewriting history is refused: {error}")
    ctx.say("On PostgreSQL a trigger refuses raw UPDATE/DELETE/TRUNCATE as well.")
