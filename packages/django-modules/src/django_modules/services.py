"""What callers use: resolve modules for an organization, and toggle them.

Resolution: the organization's live override (``OrgModuleState.enabled``) wins, otherwise the
module's global default (``Module.active``). Each read costs one query; inside a module cache
(``ModuleCacheMiddleware`` or ``module_cache()``) the first read for an organization loads all of
its modules in that one query and later reads cost none.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.db.models import FilteredRelation, Q

from django_modules import cache, conf
from django_modules.exceptions import (
    InvalidFlagError,
    InvalidOrganizationError,
    ModuleDisabled,
    UnknownModuleError,
)
from django_modules.models import Module, OrgModuleState
from django_modules.query import ModuleQuerySet


def get_org_model() -> type[models.Model]:
    """The organization model named by ``MODULES_ORG_MODEL``; ``ImproperlyConfigured`` (with the
    message of the system check that fails) if none."""
    model = OrgModuleState._meta.get_field("org").related_model
    problem = conf.ORG_MODEL.problem()
    if problem is None and isinstance(model, type):
        return model
    if problem is None:  # an unresolved reference stays a string: the setting changed since
        message = f"{conf.ORG_MODEL_SETTING} names {model!r}, which is not an installed model."
    else:
        message = problem.error(conf.ORG_MODEL_SETTING, conf.ORG_MODEL.value()).msg
    raise ImproperlyConfigured(f"{message} {conf.ORG_MODEL_ADVICE}")


def _org_pk(org: Any) -> Any:
    model = get_org_model()
    if not isinstance(org, model) or org.pk is None or org._state.adding:
        raise InvalidOrganizationError(org, model._meta.label)
    return org.pk


def _live_org_pk(org: Any) -> Any:
    """``_org_pk`` for a write: an override of a soft-deleted organization would outlive it."""
    org_pk = _org_pk(org)
    if getattr(org, "deleted_at", None) is not None:
        raise InvalidOrganizationError(org, get_org_model()._meta.label, live=True)
    return org_pk


def _checked_key(key: Any) -> str:
    # NUL: no module key holds one, and PostgreSQL cannot even compare such a string.
    if not isinstance(key, str) or not key or "\x00" in key:
        raise UnknownModuleError(key)
    return key


def _with_override(org_pk: Any) -> ModuleQuerySet[Any]:
    """Modules LEFT JOINed to this organization's live override: one query, no N+1.

    Typed as a queryset of any model: type checkers know Module's fields, not the ``override``
    relation annotated here, and would refuse ``override__enabled``.
    """
    joined: ModuleQuerySet[Any] = Module.objects.order_by().annotate(
        override=FilteredRelation(
            "org_states",
            condition=Q(org_states__org=org_pk, org_states__deleted_at__isnull=True),
        )
    )
    return joined


def _resolved(org: Any) -> dict[str, bool]:
    """Every live module of ``org`` resolved, from the cache when one is open (never copied)."""
    org_pk = _org_pk(org)
    cached = cache.get(org_pk)
    if cached is None:
        generation = cache.current_generation()
        rows = _with_override(org_pk).values_list("key", "active", "override__enabled")
        cached = {key: active if override is None else override for key, active, override in rows}
        cache.put(org_pk, cached, generation)
    return cached


def module_states(org: Any) -> dict[str, bool]:
    """Every live module of ``org`` resolved: ``{key: enabled}``. One query, none when cached."""
    return dict(_resolved(org))  # a copy: callers must not be able to edit the cache


def is_module_enabled(org: Any, key: str) -> bool:
    """Whether module ``key`` is on for ``org``; ``UnknownModuleError`` for an unknown key."""
    key = _checked_key(key)
    if cache.is_active():
        states = _resolved(org)
        if key not in states:
            raise UnknownModuleError(key)
        return states[key]
    rows = _with_override(_org_pk(org)).filter(key=key).values_list("active", "override__enabled")
    row = next(iter(rows[:1]), None)
    if row is None:
        raise UnknownModuleError(key)
    active, override = row
    enabled: bool = active if override is None else override
    return enabled


def require_module(org: Any, key: str) -> None:
    """Raise ``ModuleDisabled`` unless module ``key`` is on for ``org``."""
    if not is_module_enabled(org, key):
        raise ModuleDisabled(key, org)


def list_enabled_modules(org: Any) -> set[str]:
    """The keys of the modules that are on for ``org``."""
    return {key for key, enabled in _resolved(org).items() if enabled}


def _locked_module(key: Any) -> Module:
    """The live module ``key``, locked so that toggles of one module are serialized."""
    module: Module | None = Module.objects.select_for_update().filter(key=_checked_key(key)).first()
    if module is None:
        raise UnknownModuleError(key)
    return module


def _checked_flag(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise InvalidFlagError(name, value)
    return value


@transaction.atomic
def set_module_default(key: str, active: bool) -> Module:
    """Switch module ``key`` on or off for every organization without an override."""
    active = _checked_flag("active", active)
    module = _locked_module(key)
    if module.active != active:
        module.active = active
        module.save(update_fields=["active", "updated_at"])
    return module


@transaction.atomic
def set_org_module(org: Any, key: str, enabled: bool) -> OrgModuleState:
    """Give ``org`` its own on/off value for module ``key`` (creating or changing the override)."""
    enabled = _checked_flag("enabled", enabled)
    _live_org_pk(org)
    module = _locked_module(key)
    state: OrgModuleState | None = OrgModuleState.objects.filter(org=org, module=module).first()
    if state is None:
        state = OrgModuleState(org=org, module=module, enabled=enabled)
        state.save()
    elif state.enabled != enabled:
        state.enabled = enabled
        state.save(update_fields=["enabled", "updated_at"])
    return state


def enable_module(org: Any, key: str) -> OrgModuleState:
    """Switch module ``key`` on for ``org``, whatever the module's default."""
    return set_org_module(org, key, True)


def disable_module(org: Any, key: str) -> OrgModuleState:
    """Switch module ``key`` off for ``org``, whatever the module's default."""
    return set_org_module(org, key, False)


@transaction.atomic
def clear_org_module(org: Any, key: str) -> bool:
    """Remove ``org``'s override of module ``key``; returns whether there was one."""
    _org_pk(org)
    module = _locked_module(key)
    state: OrgModuleState | None = OrgModuleState.objects.filter(org=org, module=module).first()
    if state is None:
        return False
    state.delete()
    return True
