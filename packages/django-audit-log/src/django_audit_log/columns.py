"""Column values the database can put into an entry's JSON exactly as Python does.

An entry written by ``update_statement`` gets its old (and computed new) values from the
database's ``to_jsonb``; they must equal what ``values.clean_changes`` makes of the values
Django reads. That holds for the kinds below; any other field (a date and time, whose JSON
form Django shortens to milliseconds; a JSON document, redacted key by key; a field that
converts what it reads) keeps a queryset update on the Python path.
"""

from __future__ import annotations

from typing import Any

from django.db.models.fields import Field

from django_audit_log import conf
from django_audit_log.values import is_sensitive

# Internal types of the integer fields (and keys), shared with ``labels``.
INTEGER_KINDS = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "SmallAutoField",
        "IntegerField",
        "BigIntegerField",
        "SmallIntegerField",
        "PositiveIntegerField",
        "PositiveBigIntegerField",
        "PositiveSmallIntegerField",
    }
)
TEXT_KINDS = frozenset({"CharField", "SlugField", "TextField"})
# to_jsonb() of the column is the JSON Python writes for the value Django reads.
_AS_IS = (
    INTEGER_KINDS
    | TEXT_KINDS
    | {
        "BooleanField",
        "DateField",  # "YYYY-MM-DD" both ways
        "UUIDField",  # lower-case, hyphenated text both ways
    }
)
# Python writes the text of a Decimal, which is the column's text (its scale kept).
_AS_TEXT = frozenset({"DecimalField"})


def kind(field: Field[Any, Any]) -> str | None:
    """The internal type of what ``field`` stores (a foreign key: its target's), or ``None``
    when Django converts what it reads (``from_db_value``)."""
    while field.is_relation:
        field = field.target_field  # type: ignore[attr-defined]  # a ForeignKey's
    if hasattr(field, "from_db_value"):
        return None
    return field.get_internal_type()


def supported(field: Field[Any, Any]) -> bool:
    return kind(field) in _AS_IS | _AS_TEXT


def old_json(field: Field[Any, Any], column: str) -> tuple[str, list[Any]]:
    """SQL for the JSON value of ``column`` (a qualified column of ``field``) in an entry's
    ``changes``: masked when the field's name is secret (``None`` kept), as Python masks it."""
    if is_sensitive(field.name):
        return f"CASE WHEN {column} IS NULL THEN NULL ELSE to_jsonb(%s::text) END", [
            conf.get("AUDIT_LOG_REDACT_MASK")
        ]
    if kind(field) in _AS_TEXT:
        return f"to_jsonb({column}::text)", []
    return f"to_jsonb({column})", []
