"""The public types of django-modules, as a user's code sees them."""

from typing import Any

from typing_extensions import assert_type

import django_modules
from django_modules import (
    Module,
    ModuleDisabled,
    ModulesError,
    OrgModuleState,
    disable_module,
    enable_module,
    is_module_enabled,
    list_enabled_modules,
    module_states,
    set_module_default,
)


def usage(org: Any) -> None:
    assert_type(django_modules.__version__, str)
    assert_type(is_module_enabled(org, "billing"), bool)
    assert_type(list_enabled_modules(org), set[str])
    assert_type(module_states(org), dict[str, bool])
    assert_type(set_module_default("billing", True), Module)
    assert_type(enable_module(org, "billing"), OrgModuleState)
    assert_type(disable_module(org, "billing"), OrgModuleState)
    # The managers keep the model's type.
    assert_type(Module.objects.get(key="billing"), Module)
    assert_type(OrgModuleState.all_objects.filter(org=org).first(), OrgModuleState | None)
    error: ModulesError = ModuleDisabled("billing", org)
    assert_type(error, ModulesError)
