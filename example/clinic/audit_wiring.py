"""The host's decision to audit what the primitives do.

Primitives never import django-audit-log: each sends plain Django signals, and this module, in
the host, turns them into audit entries with one call per signal.
"""

from django_audit_log import connect_signal
from django_catalog.signals import basket_committed, item_dispensed, work_item_status_changed
from django_encounters.signals import encounter_created, encounter_transitioned
from django_modules.signals import module_toggled, org_module_toggled
from django_parties.signals import relationship_ended, relationship_started
from django_rbac.signals import role_assigned, role_revoked
from django_worklog.signals import session_started, session_stopped

WIRING = [
    # (signal, action, target argument, actor argument)
    (relationship_started, "party.relationship_started", "relationship", None),
    (relationship_ended, "party.relationship_ended", "relationship", None),
    (role_assigned, "rbac.role_assigned", "user_role", "assigned_by"),
    (role_revoked, "rbac.role_revoked", "user_role", "revoked_by"),
    (module_toggled, "modules.module_toggled", "module", None),
    (org_module_toggled, "modules.org_module_toggled", "org", None),
    (encounter_created, "encounter.created", "encounter", None),
    (encounter_transitioned, "encounter.transitioned", "encounter", None),
    (basket_committed, "catalog.basket_committed", "basket", "user"),
    (work_item_status_changed, "catalog.work_item_status_changed", "work_item", "user"),
    (item_dispensed, "catalog.item_dispensed", "work_item", "user"),
    (session_started, "worklog.session_started", "session", "user"),
    (session_stopped, "worklog.session_stopped", "session", "user"),
]


def connect() -> None:
    for signal, action, target, actor in WIRING:
        connect_signal(
            signal, action, obj_arg=target, actor_arg=actor, dispatch_uid=f"clinic:{action}"
        )
