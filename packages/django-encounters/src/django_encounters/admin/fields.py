"""Form fields that let a person write a state graph as text instead of JSON.

States are written one per line; transitions one source per line, ``source -> next, other``.
A name these lines cannot hold (one with a comma, ``->``, or spaces at either end) is shown as
JSON instead, and JSON (text starting with ``[`` or ``{``) is always accepted.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

ARROW = "->"


def _fits_a_line(name: Any) -> bool:
    return (
        isinstance(name, str)
        and name == name.strip()
        and bool(name)
        and "," not in name
        and ARROW not in name
        and "\n" not in name
    )


def _json(text: str, expected: type, example: str) -> Any:
    try:
        value = json.loads(text)
    except ValueError as error:
        raise ValidationError(
            f"{text!r} is not valid JSON ({error}); expected {example}"
        ) from error
    if not isinstance(value, expected):
        raise ValidationError(f"{text!r} is not {example}")
    return value


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class StateListField(forms.Field):
    """A list of state names, one per line."""

    widget = forms.Textarea(attrs={"rows": 6, "cols": 40})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "One state per line.")
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list) and all(_fits_a_line(name) for name in value):
            return "\n".join(value)
        return value if isinstance(value, str) else json.dumps(value)

    def to_python(self, value: Any) -> list[str]:
        text = "" if value is None else str(value)
        if text.lstrip().startswith(("[", "{")):
            return list(_json(text, list, 'a JSON list of names such as ["open", "closed"]'))
        return _lines(text)


class TransitionsField(forms.Field):
    """The moves, one source state per line: ``source -> next, other``."""

    widget = forms.Textarea(attrs={"rows": 6, "cols": 60})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text", "One line per state that can be left: <code>open -&gt; closed, lost</code>"
        )
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dict) and all(
            _fits_a_line(source)
            and isinstance(targets, list)
            and all(_fits_a_line(target) for target in targets)
            for source, targets in value.items()
        ):
            return "\n".join(
                f"{source} {ARROW} {', '.join(targets)}" for source, targets in value.items()
            )
        return value if isinstance(value, str) else json.dumps(value)

    def to_python(self, value: Any) -> dict[str, list[str]]:
        text = "" if value is None else str(value)
        if text.lstrip().startswith(("[", "{")):
            return dict(_json(text, dict, 'a JSON object such as {"open": ["closed"]}'))
        moves: dict[str, list[str]] = {}
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            source, arrow, targets = line.partition(ARROW)
            if not arrow or not source.strip():
                raise ValidationError(
                    f"line {number} {line.strip()!r} is not a move; expected 'state -> next, other'"
                )
            if source.strip() in moves:
                raise ValidationError(
                    f"line {number}: state {source.strip()!r} has a line already; "
                    "expected one line per state"
                )
            moves[source.strip()] = [name.strip() for name in targets.split(",") if name.strip()]
        return moves
