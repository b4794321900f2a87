"""The managers of tracked models: each hands out its queryset class with
``TrackedQuerySetMixin`` mixed in (``tracked_query``), the base manager too.

``install_tracked_managers`` is called for every concrete tracked model by ``receivers``.
"""

from __future__ import annotations

import copy
from typing import Any

from django.db import models
from django.db.models.options import Options
from django.utils.functional import cached_property

from django_audit_log.tracked_query import TrackedQuerySetMixin

# Each class is derived once: the same tracked class for every model that uses the original.
_derived: dict[tuple[str, type], type] = {}


def _tracked_queryset_class(queryset_class: type) -> type:
    # Same name and module as the original, so that migrations and pickles that name the class
    # find the original (a tracked queryset is the original plus auditing, nothing to store).
    key = ("queryset", queryset_class)
    if key not in _derived:
        _derived[key] = type(
            queryset_class.__name__,
            (TrackedQuerySetMixin, queryset_class),
            {"__module__": queryset_class.__module__, "__qualname__": queryset_class.__qualname__},
        )
    return _derived[key]


def _tracked_manager_class(manager_class: type[models.Manager[Any]]) -> type:
    key = ("manager", manager_class)
    if key not in _derived:
        queryset_class = manager_class._queryset_class  # type: ignore[attr-defined]  # Django's
        _derived[key] = type(
            manager_class.__name__,
            (manager_class,),
            {
                "_queryset_class": _tracked_queryset_class(queryset_class),
                "_audit_tracked": True,
                "__module__": manager_class.__module__,
                "__qualname__": manager_class.__qualname__,
            },
        )
    return _derived[key]


def _tracked_options_class(options_class: type[Options[Any]]) -> type[Options[Any]]:
    """``Options`` whose ``base_manager`` is tracked too.

    Django builds a plain ``Manager()`` as the base manager of a model that names none, and
    hands it out as ``Model._base_manager`` to its own internals and to anyone who asks:
    ``_base_manager.update()`` / ``bulk_create()`` / ``bulk_update()`` would skip the log. The
    base manager is a cached property that Django recomputes whenever the app registry's cache
    is cleared, so the tracked one is made there, each time.
    """

    key = ("options", options_class)
    if key in _derived:
        return _derived[key]
    plain_base_manager: Any = options_class.base_manager

    class TrackedOptions(options_class):  # type: ignore[valid-type, misc]
        @cached_property
        def base_manager(self) -> models.Manager[Any]:
            manager: models.Manager[Any] = plain_base_manager.func(self)
            if getattr(manager, "_audit_tracked", False):  # a named, already tracked manager
                return manager
            tracked = copy.copy(manager)
            tracked.__class__ = _tracked_manager_class(type(manager))
            return tracked

    TrackedOptions.__name__ = TrackedOptions.__qualname__ = options_class.__name__
    _derived[key] = TrackedOptions
    return TrackedOptions


def install_tracked_managers(model: type[models.Model]) -> None:
    """Give every manager of ``model`` (inherited ones too, and the base manager) the tracked
    queryset.

    The replacements go into ``_meta.local_managers``: Django rebuilds ``_meta.managers`` from
    the local managers of the MRO whenever the app registry's cache is cleared.
    """
    opts = model._meta
    opts.__class__ = _tracked_options_class(type(opts))
    local_names = [manager.name for manager in opts.local_managers]
    for manager in opts.managers:
        if getattr(manager, "_audit_tracked", False) or not hasattr(manager, "_queryset_class"):
            continue
        tracked = copy.copy(manager)
        tracked.__class__ = _tracked_manager_class(type(manager))
        if manager.name in local_names:
            opts.local_managers[local_names.index(manager.name)] = tracked
        else:
            opts.local_managers.append(tracked)
    opts._expire_cache()  # type: ignore[attr-defined]  # Django's own, not in the stubs
