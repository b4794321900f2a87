"""django-modules: parts of the application switched on and off per organization."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from django_modules import (
    ModuleDisabled,
    UnknownModuleError,
    disable_module,
    enable_module,
    is_module_enabled,
    list_enabled_modules,
    module_cache,
    org_module_toggled,
    require_module,
)
from django_modules.models import Module


def run(ctx) -> None:
    org, other = ctx.shared["org"], ctx.shared["other_org"]
    for key, name, active in [
        ("pharmacy", "Pharmacy", True),
        ("lab", "Laboratory", True),
        ("billing", "Billing", False),
    ]:
        Module.objects.update_or_create(key=key, defaults={"name": name, "active": active})
    ctx.say("Modules: pharmacy and lab on by default, billing off by default.")

    def narrate(org, module, enabled, previous, **kwargs):
        ctx.say(f"  signal org_module_toggled: {module.key} for {org}: {previous} -> {enabled}")

    org_module_toggled.connect(narrate, dispatch_uid="demo-modules", weak=False)
    try:
        disable_module(org, "pharmacy")
        enable_module(other, "billing")
    finally:
        org_module_toggled.disconnect(dispatch_uid="demo-modules")
    for party in (org, other):
        state = "on" if is_module_enabled(party, "pharmacy") else "off"
        ctx.say(f"{party}: pharmacy is {state}; enabled: {sorted(list_enabled_modules(party))}.")
    try:
        require_module(org, "pharmacy")
    except ModuleDisabled as error:
        ctx.say(f"require_module refuses (a 403 in a view): {error}")
    try:
        is_module_enabled(org, "pharmcy")
    except UnknownModuleError as error:
        ctx.say(f"A typo is an error, never a silent 'off': {error}")
    with module_cache(), CaptureQueriesContext(connection) as queries:
        for _ in range(20):
            is_module_enabled(org, "lab")
    ctx.say(f"20 checks inside one request's cache cost {len(queries)} query.")
