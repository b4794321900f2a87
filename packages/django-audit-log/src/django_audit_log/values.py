"""Turning values into JSON that an auditor can read, and masking secrets on the way."""

from __future__ import annotations

import datetime
import decimal
import functools
import re
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from django_audit_log import conf

_ENCODER = DjangoJSONEncoder()
_PLAIN = (str, int, float, bool, type(None))
_NATIVE = frozenset(_PLAIN)
_ENCODABLE = (datetime.datetime, datetime.date, datetime.time, datetime.timedelta)
# Exact types whose JSON form (as DjangoJSONEncoder writes it) is a plain conversion: looked up
# before the encoder's chain of isinstance checks, since model fields hold them all the time.
_AS_TEXT: dict[type, Callable[[Any], str]] = {
    decimal.Decimal: str,
    uuid.UUID: str,
    datetime.date: datetime.date.isoformat,
}


def jsonable(value: Any) -> Any:
    """``value`` as JSON-native data; anything unknown becomes its ``str()``."""
    kind = type(value)
    if kind in _NATIVE:  # the common case, checked first
        return value
    as_text = _AS_TEXT.get(kind)
    if as_text is not None:
        return as_text(value)
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, (*_ENCODABLE, decimal.Decimal, uuid.UUID)):
        return _ENCODER.default(value)
    if isinstance(value, Mapping):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(item) for item in value]
    if isinstance(value, (bytes, memoryview)):
        return f"<{len(value)} bytes>"
    return str(value)


@functools.lru_cache(maxsize=8)
def _matcher(words: tuple[str, ...]) -> Callable[[str], bool]:
    """Whether a key contains one of ``words``; remembered per key (field names repeat)."""
    search = re.compile("|".join(re.escape(word.lower().replace("-", "_")) for word in words))

    @functools.lru_cache(maxsize=1024)
    def sensitive(key: str) -> bool:
        return search.search(key.lower().replace("-", "_")) is not None

    return sensitive


def _sensitive() -> Callable[[str], bool]:
    """A matcher for the current AUDIT_LOG_REDACT_KEYS."""
    return _matcher(tuple(conf.get("AUDIT_LOG_REDACT_KEYS")))


def is_sensitive(key: str) -> bool:
    """Whether ``key`` contains a redacted word (case-insensitive; "-" counts as "_")."""
    return _sensitive()(key)


def clean_metadata(metadata: Mapping[str, Any] | None) -> dict[str, Any]:
    """JSON-ready metadata with the values of sensitive keys masked, at any depth (inside
    lists too)."""
    if not metadata:
        return {}
    return redacted(metadata, conf.get("AUDIT_LOG_REDACT_MASK"), _sensitive())  # type: ignore[no-any-return]


def redacted(value: Any, mask: str, sensitive: Callable[[str], bool]) -> Any:
    """``value`` as JSON-native data in which every sensitive key's value is ``mask``, in
    mappings at any depth, lists and tuples included."""
    kind = type(value)
    if kind in _NATIVE:  # the common case, checked first
        return value
    as_text = _AS_TEXT.get(kind)
    if as_text is not None:
        return as_text(value)
    if isinstance(value, Mapping):
        return {
            str(key): mask if sensitive(str(key)) else redacted(item, mask, sensitive)
            for key, item in value.items()
        }
    if isinstance(value, (list, tuple, set, frozenset)):
        return [redacted(item, mask, sensitive) for item in value]
    return jsonable(value)


def clean_changes(changes: Mapping[str, Any] | None) -> dict[str, Any]:
    """``{field: {"old": .., "new": ..}}`` as JSON, sensitive fields masked (``None`` kept), and
    sensitive keys masked at any depth inside the values (a JSONField's document)."""
    if not changes:
        return {}
    mask = conf.get("AUDIT_LOG_REDACT_MASK")
    sensitive = _sensitive()
    cleaned = {}
    for name, change in changes.items():
        name = str(name)
        if not isinstance(change, (dict, Mapping)):  # a dict is told apart without the ABC
            change = {"new": change}
        if sensitive(name):
            cleaned[name] = {str(side): None if v is None else mask for side, v in change.items()}
        else:
            cleaned[name] = {str(side): redacted(v, mask, sensitive) for side, v in change.items()}
    return cleaned
