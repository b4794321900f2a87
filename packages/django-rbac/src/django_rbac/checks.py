"""System checks of django-rbac (ids ``rbac.E001``, ``rbac.W001``, ``rbac.W002``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from django.core.checks import CheckMessage, Error, Tags, Warning, register

from django_rbac import conf

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@register()
def check_modules_setting(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """``RBAC_MODULES`` maps module names to lists of action names (lowercase, no dots)."""
    value = conf.get("RBAC_MODULES")
    hint = 'e.g. RBAC_MODULES = {"practice": ["view", "edit"]}; names match [a-z0-9_-]+.'
    if not isinstance(value, dict):
        return [
            Error(
                f"RBAC_MODULES is a {type(value).__name__}; expected a dict.",
                hint=hint,
                id="rbac.E001",
            )
        ]
    errors: list[CheckMessage] = []
    for module, actions in value.items():
        if not isinstance(module, str) or not _NAME.match(module):
            errors.append(
                Error(
                    f"RBAC_MODULES has an invalid module name {module!r}.",
                    hint=hint,
                    id="rbac.E001",
                )
            )
            continue
        if not isinstance(actions, (list, tuple)) or not all(
            isinstance(action, str) and _NAME.match(action) for action in actions
        ):
            errors.append(
                Error(
                    f"RBAC_MODULES[{module!r}] is {actions!r}; expected a list of action names.",
                    hint=hint,
                    id="rbac.E001",
                )
            )
        elif len(f"{module}.{max(actions, key=len, default='')}") > 100:
            errors.append(
                Error(
                    f"RBAC_MODULES[{module!r}] gives a codename longer than 100 characters.",
                    hint="Shorten the module or action name.",
                    id="rbac.E001",
                )
            )
    return errors


@register()
def check_user_model(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """The user model should carry ``RBACUserMixin`` so ``user.hierarchy_level`` etc. exist."""
    from django.contrib.auth import get_user_model

    from django_rbac.mixins import RBACUserMixin

    model = get_user_model()
    if issubclass(model, RBACUserMixin):
        return []
    return [
        Warning(
            f"{model._meta.label} does not inherit RBACUserMixin; user.hierarchy_level, "
            "can_manage_user() and has_module_permission() will be missing.",
            hint="class User(RBACUserMixin, AbstractUser): ... (the guards work either way).",
            id="rbac.W001",
        )
    ]


def _guarded_views(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """``(route, view)`` of every view in a URLconf, included ones too."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if hasattr(pattern, "url_patterns"):
            yield from _guarded_views(pattern.url_patterns, route)
        else:
            yield route, pattern.callback


def _required_permission(view: Any) -> tuple[Any, Any] | None:
    from django_rbac.decorators import GUARD_ATTR
    from django_rbac.views import ModulePermissionMixin

    found: tuple[Any, Any] | None = getattr(view, GUARD_ATTR, None)
    view_class = getattr(view, "view_class", None)
    if (
        found is None
        and isinstance(view_class, type)
        and issubclass(view_class, ModulePermissionMixin)
    ):
        found = (view_class.permission_module, view_class.permission_action)
    return found


@register(Tags.urls)
def check_guarded_views(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Typo protection: a guarded view naming a ``(module, action)`` that ``RBAC_MODULES`` does
    not declare answers "no" to everyone but superusers, which is rarely what was meant."""
    from django.urls import get_resolver

    declared = conf.declared_modules()
    warnings: list[CheckMessage] = []
    for route, view in _guarded_views(get_resolver().url_patterns):
        required = _required_permission(view)
        if required is None:
            continue
        module, action = required
        if not isinstance(module, str) or not isinstance(action, str):
            continue  # an unconfigured mixin: ImproperlyConfigured on its every request
        if action in declared.get(module, ()):
            continue
        warnings.append(
            Warning(
                f"The view at {route!r} requires module permission ({module!r}, {action!r}), "
                "which RBAC_MODULES does not declare.",
                hint=f"Add {action!r} to RBAC_MODULES[{module!r}] (a typo?); set "
                "RBAC_STRICT_MODULES = True to make undeclared names an error.",
                id="rbac.W002",
            )
        )
    return warnings
