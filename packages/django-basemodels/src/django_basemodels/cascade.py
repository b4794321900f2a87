"""Which soft-deletable models a soft delete reaches, and in which order they are written.

A soft delete follows ``on_delete=CASCADE`` foreign keys (one-to-one keys included) from the
deleted model to every soft-deletable model that points at it, recursively. Keys to models that
are not soft-deletable end the walk: such rows keep pointing at a row that still exists.

Order matters twice. Rows are written parents first, so that a step finds its parents by the
moment they were just stamped with. And every operation writes models in ONE global order (a
topological order of the whole graph, ties broken by label) and locks rows in primary-key order
within a model, so two concurrent operations take their locks in the same order and cannot
deadlock each other.

Models that reach themselves (a self-referencing key such as ``reply_to``, or A -> B -> A) form a
cycle; their group of steps is repeated until it writes nothing, one round per level of depth.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Literal, cast

from django.apps.registry import Apps
from django.db import models


@dataclass(frozen=True)
class Step:
    """Write the rows of ``model`` reached through any of ``keys`` (fields of ``model``)."""

    model: type[models.Model]
    keys: tuple[models.ForeignKey[Any, Any], ...]


@dataclass(frozen=True)
class Group:
    """Steps written together; ``repeat`` when they form a cycle."""

    steps: tuple[Step, ...]
    repeat: bool


def resolved_model(model: type[models.Model] | Literal["self"]) -> type[models.Model]:
    """The model a relation points at. Django's stubs allow the lazy ``"self"`` reference, but
    once the app registry is ready (every caller here runs after it) it is always a class."""
    return cast(type[models.Model], model)


def is_soft_deletable(model: type[models.Model]) -> bool:
    """True for concrete models that inherit ``SoftDeleteModel``.

    ``SoftDeleteModel`` marks itself (``soft_deletable = True``) rather than being imported
    here: its managers run the soft delete, which stands on this module, so the models module
    stands above this one.
    """
    return getattr(model, "soft_deletable", False) is True and not model._meta.abstract


def cascade_keys(parent: type[models.Model]) -> list[models.ForeignKey[Any, Any]]:
    """The CASCADE keys of soft-deletable models that point at ``parent``, sorted."""
    keys = []
    for relation in parent._meta.related_objects:
        key = relation.field
        if (
            isinstance(key, models.ForeignKey)
            and relation.on_delete is models.CASCADE
            and not relation.parent_link  # multi-table inheritance shares the parent's row
            and is_soft_deletable(resolved_model(relation.related_model))
        ):
            keys.append(key)
    return sorted(keys, key=lambda key: (key.model._meta.label, key.name))


def _children(parent: type[models.Model]) -> list[type[models.Model]]:
    return sorted({key.model for key in cascade_keys(parent)}, key=lambda m: m._meta.label)


@functools.cache
def _global_rank(registry: Apps) -> dict[type[models.Model], tuple[int, bool]]:
    """Every soft-deletable model of ``registry`` -> (rank of its cycle in topological order,
    whether it is a cycle)."""
    roots = sorted(
        (model for model in registry.get_models() if is_soft_deletable(model)),
        key=lambda model: model._meta.label,
    )
    cycles = _strongly_connected(roots)
    rank = {}
    for position, cycle in enumerate(cycles):
        repeat = len(cycle) > 1 or cycle[0] in _children(cycle[0])
        for model in cycle:
            rank[model] = (position, repeat)
    return rank


def _strongly_connected(nodes: list[type[models.Model]]) -> list[list[type[models.Model]]]:
    """Tarjan's algorithm; returns the components parents-first (topological order)."""
    index: dict[type[models.Model], int] = {}
    low: dict[type[models.Model], int] = {}
    stack: list[type[models.Model]] = []
    on_stack: set[type[models.Model]] = set()
    found: list[list[type[models.Model]]] = []

    def visit(node: type[models.Model]) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for child in _children(node):
            if child not in index:
                visit(child)
                low[node] = min(low[node], low[child])
            elif child in on_stack:
                low[node] = min(low[node], index[child])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member is node:
                    break
            found.append(sorted(component, key=lambda model: model._meta.label))

    for node in nodes:
        if node not in index:
            visit(node)
    return list(reversed(found))  # Tarjan emits children's components first


@functools.cache
def plan_for(root: type[models.Model]) -> tuple[Group, ...]:
    """The groups of steps that soft-deleting (or restoring) rows of ``root`` writes, in order."""
    reached: set[type[models.Model]] = set()
    pending = [root]
    while pending:
        for child in _children(pending.pop()):
            if child not in reached:
                reached.add(child)
                pending.append(child)
    sources = reached | {root}
    rank = _global_rank(root._meta.apps)
    by_rank: dict[tuple[int, bool], list[Step]] = {}
    for model in sorted(reached, key=lambda model: model._meta.label):
        keys = tuple(
            key
            for source in sorted(sources, key=lambda source: source._meta.label)
            for key in cascade_keys(source)
            if key.model is model
        )
        by_rank.setdefault(rank[model], []).append(Step(model, keys))
    return tuple(
        Group(steps=tuple(by_rank[position]), repeat=position[1]) for position in sorted(by_rank)
    )


def reached_models(root: type[models.Model]) -> list[type[models.Model]]:
    """Every model a soft delete of ``root`` may write, ``root`` first."""
    models_in_plan = [step.model for group in plan_for(root) for step in group.steps]
    return [root, *(model for model in models_in_plan if model is not root)]
