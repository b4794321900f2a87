"""Module manifests: the YAML file that declares a deployment's modules in version control.

```yaml
modules:
  - key: pharmacy
    name: Pharmacy
    description: Dispensing and stock.   # optional
    default: true                        # optional, the global default (Module.active)
```

``read_manifest`` returns every declaration or raises ``ManifestError`` listing every problem with
its line; ``plan_sync``/``apply_sync`` compare it with the database and write the difference.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import models, transaction

from django_modules.exceptions import InvalidArgumentError, ManifestError
from django_modules.models import Module

FIELDS = {"key", "name", "description", "default"}


def _max_length(field_name: str) -> int:
    field = Module._meta.get_field(field_name)
    assert isinstance(field, models.CharField)
    assert field.max_length is not None
    return field.max_length


KEY_MAX, NAME_MAX = _max_length("key"), _max_length("name")
# (line, message) for each problem found in a manifest.
Problems = list[tuple[int, str]]


@dataclass(frozen=True)
class Declaration:
    key: str
    name: str
    description: str
    default: bool
    line: int


@dataclass(frozen=True)
class Change:
    key: str
    action: str  # "create", "update" or "remove"
    fields: dict[str, Any]

    def describe(self) -> str:
        if self.action == "update":
            detail = ", ".join(
                f"{name}: {old!r} -> {new!r}" for name, (old, new) in self.fields.items()
            )
            return f"update {self.key} ({detail})"
        return f"{self.action} {self.key}"


def read_manifest(text: str, source: str = "<manifest>") -> list[Declaration]:
    if not isinstance(text, str | bytes):
        raise InvalidArgumentError("text", text, "the manifest's YAML text (str or bytes)")
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise ManifestError(
            source, [(mark.line + 1 if mark else 1, f"not valid YAML: {error.problem}")]
        ) from error
    problems: list[tuple[int, str]] = []
    items = _module_nodes(root, problems)
    declarations: list[Declaration] = []
    seen: dict[str, int] = {}
    for node in items:
        key, line, declaration = _declaration(loader, node, problems)
        if isinstance(key, str) and key in seen:
            message = f"key {key!r} is declared twice (first on line {seen[key]})"
            problems.append((line, message))
            continue
        if isinstance(key, str):
            seen[key] = line
        if declaration is not None:
            declarations.append(declaration)
    if problems:
        raise ManifestError(source, sorted(problems))
    return declarations


def _module_nodes(root: yaml.Node | None, problems: Problems) -> list[yaml.Node]:
    if root is None:
        problems.append((1, 'the manifest is empty; expected a "modules:" list'))
        return []
    line = root.start_mark.line + 1
    if not isinstance(root, yaml.MappingNode):
        problems.append((line, 'expected a mapping with a "modules:" list at the top'))
        return []
    top = {key.value: (key, value) for key, value in root.value}
    for name, (key_node, _value) in top.items():
        if name != "modules":
            problems.append(
                (
                    key_node.start_mark.line + 1,
                    f'unknown top-level field {name!r}; expected only "modules"',
                )
            )
    if "modules" not in top:
        problems.append((line, 'missing "modules:" list'))
        return []
    modules = top["modules"][1]
    if not isinstance(modules, yaml.SequenceNode):
        problems.append((modules.start_mark.line + 1, '"modules" must be a list of modules'))
        return []
    nodes: list[yaml.Node] = modules.value
    return nodes


def _declaration(
    loader: yaml.SafeLoader, node: yaml.Node, problems: Problems
) -> tuple[object, int, Declaration | None]:
    """``(key, line, declaration)``; the declaration is ``None`` when the item has problems."""
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.MappingNode):
        problems.append(
            (line, "each module must be a mapping with key, name, description, default")
        )
        return None, line, None
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    count = len(problems)
    for key_node, value_node in node.value:
        field = key_node.value
        if field not in FIELDS:
            problems.append(
                (
                    key_node.start_mark.line + 1,
                    f"unknown field {field!r}; expected one of {', '.join(sorted(FIELDS))}",
                )
            )
            continue
        values[field] = loader.construct_object(value_node, deep=True)
        lines[field] = value_node.start_mark.line + 1
    key, name = values.get("key"), values.get("name")
    description, default = values.get("description", ""), values.get("default", True)
    if "key" not in values:
        problems.append((line, 'module without "key"'))
    elif not _is_slug(key, KEY_MAX):
        problems.append(
            (
                lines["key"],
                f"key {key!r} is not a slug of at most {KEY_MAX} letters, digits, - or _",
            )
        )
    if "name" not in values:
        problems.append((line, f'module {key!r} without "name"'))
    elif not isinstance(name, str) or not name.strip() or len(name) > NAME_MAX:
        problems.append(
            (
                lines["name"],
                f"name {name!r} must be non-empty text of at most {NAME_MAX} characters",
            )
        )
    if description is None:
        description = ""
    if not isinstance(description, str):
        problems.append((lines["description"], f"description {description!r} must be text"))
    if not isinstance(default, bool):
        problems.append((lines["default"], f"default {default!r} must be true or false"))
    if len(problems) > count:
        return key, line, None
    return key, line, Declaration(values["key"], values["name"], description, default, line)


def _is_slug(value: object, max_length: int) -> bool:
    if not isinstance(value, str) or len(value) > max_length:
        return False
    try:
        validate_slug(value)
    except ValidationError:
        return False
    return True


def plan_sync(declarations: list[Declaration], prune: bool = False) -> list[Change]:
    """What ``apply_sync`` would change, in manifest order (removals last)."""
    return _plan(declarations, prune, {module.key: module for module in Module.objects.all()})


def _plan(declarations: list[Declaration], prune: bool, modules: dict[str, Module]) -> list[Change]:
    existing = dict(modules)
    changes: list[Change] = []
    for item in declarations:
        wanted = {"name": item.name, "description": item.description, "active": item.default}
        module = existing.pop(item.key, None)
        if module is None:
            changes.append(Change(item.key, "create", wanted))
            continue
        differs = {f: (getattr(module, f), v) for f, v in wanted.items() if getattr(module, f) != v}
        if differs:
            changes.append(Change(item.key, "update", differs))
    if prune:
        changes.extend(Change(key, "remove", {}) for key in existing)
    return changes


@transaction.atomic
def apply_sync(declarations: list[Declaration], prune: bool = False) -> list[Change]:
    """Create, update (and with ``prune`` soft-delete) modules to match; all or nothing."""
    # One read locks the modules (one sync at a time) and gives the rows to plan and to write.
    modules = {module.key: module for module in Module.objects.select_for_update()}
    changes = _plan(declarations, prune, modules)
    for change in changes:
        if change.action == "create":
            Module(key=change.key, **change.fields).save()
        elif change.action == "update":
            module = modules[change.key]
            for field, (_old, new) in change.fields.items():
                setattr(module, field, new)
            module.save()
        else:
            modules[change.key].delete()
    return changes
