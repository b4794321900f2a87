"""django-rbac: roles at hierarchy levels, assignments, and escalation refused."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from django_rbac.exceptions import RBACError
from django_rbac.models import Role
from django_rbac.services import assign_role, revoke_role


def run(ctx) -> None:
    manager = Role.objects.create(
        name="Practice manager", slug="practice-manager", hierarchy_level=60
    )
    front_desk = Role.objects.create(name="Front desk", slug="front-desk", hierarchy_level=20)
    ctx.say(f"Roles: {manager} and {front_desk}, each with its own auth group ({manager.group}).")

    assign_role(ctx.user, manager, assigned_by=ctx.admin)
    ctx.say(f"The superuser made {ctx.user} a manager: level {ctx.user.hierarchy_level}.")

    robin = get_user_model().objects.create_user("robin", email="robin@example.com")
    assign_role(robin, front_desk, assigned_by=ctx.user)
    ctx.say(f"{ctx.user} gave {robin} the front desk role: level {robin.hierarchy_level}.")
    ctx.say(
        f"{ctx.user} manages {robin}: {ctx.user.can_manage_user(robin)}; "
        f"{robin} manages {ctx.user}: {robin.can_manage_user(ctx.user)}."
    )
    ctx.say(f"Roles {ctx.user} may hand out: {[str(r) for r in ctx.user.get_manageable_roles()]}.")

    for attempt, target, role in [
        ("promote robin to manager", robin, manager),
        ("give themselves another role", ctx.user, front_desk),
    ]:
        try:
            assign_role(target, role, assigned_by=ctx.user)
        except RBACError as error:
            ctx.say(f"{ctx.user} tried to {attempt}: refused. {error}")

    revoke_role(robin, front_desk, revoked_by=ctx.user)
    ctx.say(
        f"Revoked: {robin} is back to level {robin.hierarchy_level}; "
        "the assignment stays in the history."
    )
    assign_role(robin, front_desk, assigned_by=ctx.user)
    ctx.shared["roles"] = {"manager": manager, "front_desk": front_desk}
    ctx.shared["staff_user"] = robin
