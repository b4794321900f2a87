"""System checks of django-rbac (ids ``rbac.E001``, ``rbac.W001``)."""

from __future__ import annotations

import re
from typing import Any

from django.core.checks import Error, Warning, register

from django_rbac import conf

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@register()
def check_modules_setting(app_configs: Any = None, **kwargs: Any) -> list[Error]:
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
    errors = []
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
def check_user_model(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
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
