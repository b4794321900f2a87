"""django-worklog: time work on the repair job, switch to the lab work item, stop."""

from __future__ import annotations

from django_worklog.exceptions import NoActiveSession
from django_worklog.reports import total_seconds_per_context
from django_worklog.services import get_active_session, start_session, stop_session


def run(ctx) -> None:
    repair_job = ctx.shared["encounter"]
    lab_item = ctx.shared["lab_work_item"]
    who = ctx.user.get_username()

    first = start_session(ctx.user, repair_job, metadata={"via": "demo"})
    ctx.say(f"{who} starts work on the repair job at {first.started_at:%H:%M:%S} (server clock).")
    ctx.pause(1.2)  # real work takes time; the demo waits a moment so durations are not zero

    second = start_session(ctx.user, lab_item)
    first.refresh_from_db()
    ctx.say(f"Switching to the lab work item stopped the repair job session ({first.stop_reason}).")
    ctx.say(f"Active now: the {second.context_content_type.model} session started just now.")
    ctx.pause(2.1)

    stopped = stop_session(ctx.user)
    ctx.say(f"Stopped. Active session left: {get_active_session(ctx.user)}.")
    ctx.say(
        f"Durations: repair job {first.duration_seconds}s, lab work {stopped.duration_seconds}s."
    )
    try:
        stop_session(ctx.user)
    except NoActiveSession as error:
        ctx.say(f"Stopping again is refused: {error}")
    for (model, pk), seconds in total_seconds_per_context(user=ctx.user).items():
        ctx.say(f"Total for {model} {pk}: {seconds}s (one query for the whole report).")
    ctx.shared["work_sessions"] = [first, stopped]
