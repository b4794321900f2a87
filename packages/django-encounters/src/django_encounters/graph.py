"""Pure functions over a definition's state graph: validation and the Mermaid diagram.

They take plain values (not a model) so that they can check a definition before it is saved.
"""

from __future__ import annotations

from collections import deque
from typing import Any

STATE_MAX_LENGTH = 50  # the length of Encounter.state and the transition columns


def graph_problems(
    states: Any, initial_state: Any, final_states: Any, transitions: Any
) -> list[str]:
    """Every fault of the graph, as readable sentences; an empty list means the graph is valid.

    Rules: states is a non-empty list of distinct names; the initial state, every final state and
    every state named in ``transitions`` is declared; every state is reachable from the initial
    state; final states have no outgoing transitions.
    """
    return [
        message
        for _field, message in graph_problems_by_field(
            states, initial_state, final_states, transitions
        )
    ]


def graph_problems_by_field(
    states: Any, initial_state: Any, final_states: Any, transitions: Any
) -> list[tuple[str, str]]:
    """The faults of ``graph_problems()``, each with the field where it is fixed (for forms).

    An unreachable state is the business of ``transitions`` (a move into it is missing).
    """
    found: list[tuple[str, str]] = []
    if not isinstance(states, list) or not states:
        return [("states", f"states must be a non-empty list of names, got {states!r}")]
    if not isinstance(final_states, list):
        found.append(
            ("final_states", f"final_states must be a list of names, got {final_states!r}")
        )
        final_states = []
    if not isinstance(transitions, dict):
        found.append(
            (
                "transitions",
                f"transitions must be a dict of state -> list of states, got {transitions!r}",
            )
        )
        transitions = {}

    declared: set[str] = set()
    for state in states:
        if not isinstance(state, str) or not state or len(state) > STATE_MAX_LENGTH:
            found.append(
                (
                    "states",
                    f"state {state!r} is not a name: expected a non-empty string of at most "
                    f"{STATE_MAX_LENGTH} characters",
                )
            )
            continue
        if state in declared:
            found.append(("states", f"state {state!r} is declared twice"))
        declared.add(state)

    def undeclared(state: Any, where: str, field: str) -> None:
        # isinstance first: a list or dict where a name belongs is unhashable.
        if not (isinstance(state, str) and state in declared):
            message = f"{where} {state!r} is not one of the declared states {states!r}"
            found.append((field, message))

    undeclared(initial_state, "initial_state", "initial_state")
    for state in final_states:
        undeclared(state, "final state", "final_states")
    for source, targets in transitions.items():
        undeclared(source, "transition source", "transitions")
        if not isinstance(targets, list):
            found.append(
                (
                    "transitions",
                    f"transitions[{source!r}] must be a list of states, got {targets!r}",
                )
            )
            continue
        for target in targets:
            undeclared(target, f"transition target (from {source!r})", "transitions")
        if source in final_states and targets:
            found.append(
                (
                    "transitions",
                    f"final state {source!r} has outgoing transitions to {targets!r}; "
                    "expected none",
                )
            )

    if isinstance(initial_state, str) and initial_state in declared:
        reachable = _reachable(initial_state, transitions)
        for state in states:
            if isinstance(state, str) and state not in reachable:
                message = f"state {state!r} is unreachable from the initial state {initial_state!r}"
                found.append(("transitions", message))
    return found


def _reachable(start: str, transitions: dict[Any, Any]) -> set[str]:
    seen = {start}
    queue = deque([start])
    while queue:
        targets = transitions.get(queue.popleft())
        for target in targets if isinstance(targets, list) else []:
            if isinstance(target, str) and target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def mermaid(
    states: list[str],
    initial_state: str,
    final_states: list[str],
    transitions: dict[str, list[str]],
) -> str:
    """A Mermaid ``stateDiagram-v2``; states get short ids so any name (spaces, quotes) works."""
    ids = {state: f"s{index}" for index, state in enumerate(states)}
    lines = ["stateDiagram-v2"]
    for state in states:
        label = str(state).replace('"', "#quot;")
        lines.append(f'    state "{label}" as {ids[state]}')
    if initial_state in ids:
        lines.append(f"    [*] --> {ids[initial_state]}")
    for source, targets in transitions.items():
        for target in targets:
            if source in ids and target in ids:
                lines.append(f"    {ids[source]} --> {ids[target]}")
    for state in final_states:
        if state in ids:
            lines.append(f"    {ids[state]} --> [*]")
    return "\n".join(lines) + "\n"
