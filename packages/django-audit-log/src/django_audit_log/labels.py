"""An entry's label (``str(obj)``) assembled by the database, for the models where that is exact.

Entries are labelled by ``str()`` of their object. A statement that writes entries without the
objects (``update_statement``) can do so only when the label is a plain arrangement of the
row's own columns, which the source of ``__str__`` shows:

- Django's own ``__str__`` (``"<Model> object (<pk>)"``);
- ``return self.<field>`` of a text field that cannot be NULL;
- ``return str(self.<field>)`` or an f-string of text and of ``{self.<field>}`` (no format
  spec, no conversion but ``!s``), the fields being text, integers or UUIDs.

Anything else (a method call, a branch, a related object, a format spec...) returns ``None``,
and the caller keeps its Python path, which calls ``str()`` on each object. ``single_statement``
reads the same analysis (``shown_fields``) to know, once per model, whether a label can show a
key that the database has not assigned yet.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Callable
from typing import Any

from django.db import models
from django.db.models.fields import Field
from django.db.models.query_utils import DeferredAttribute

from django_audit_log.columns import INTEGER_KINDS, TEXT_KINDS, kind

_DISPLAY_MAX = 255  # as services.target_columns cuts it
_SHOWN_AS_TEXT = TEXT_KINDS | INTEGER_KINDS | {"UUIDField"}
_STR_CONVERSION = ord("s")

# The SQL of a label, given the quoted table and the connection: (sql, params).
LabelSql = Callable[[str, Any], tuple[str, list[Any]]]
# Per model: the __str__ and the fields the answer was read from, and the answer.
_cache: dict[type, tuple[Any, Any, LabelSql | None]] = {}


def label_sql(model: type[models.Model]) -> LabelSql | None:
    """How the database computes ``str(obj)[:255]`` of ``model``'s rows, or ``None`` when it
    cannot (computed once per model, and again when its ``__str__`` or its fields are replaced,
    as ``single_statement``'s plan is)."""
    method, fields = model.__str__, model._meta.concrete_fields
    cached = _cache.get(model)
    if cached is None or cached[0] is not method or cached[1] is not fields:
        parts = _parts(model)
        cached = _cache[model] = (method, fields, None if parts is None else _sql_of(parts))
    return cached[2]


def shown_fields(model: type[models.Model]) -> list[Field[Any, Any]] | None:
    """The fields ``str(obj)`` shows when the label is a plain arrangement of ``model``'s
    columns (as ``label_sql`` reads it), else ``None``. Read from the source on every call:
    callers that ask per save keep the answer."""
    parts = _parts(model)
    return None if parts is None else [part[0] for part in parts if not isinstance(part, str)]


def _sql_of(parts: list[str | tuple[Field[Any, Any], bool]]) -> LabelSql:
    def sql(table: str, connection: Any) -> tuple[str, list[Any]]:
        pieces, params = [], []
        for part in parts:
            if isinstance(part, str):
                pieces.append("%s::text")
                params.append(part)
                continue
            field, none_as_text = part
            column = f"{table}.{connection.ops.quote_name(field.column)}::text"
            # Python formats None as "None" (a bare `return self.x` never sees None: NOT NULL).
            pieces.append(f"COALESCE({column}, 'None')" if none_as_text else column)
        return f"left(concat({', '.join(pieces)}), {_DISPLAY_MAX})", params

    return sql


def _parts(model: type[models.Model]) -> list[str | tuple[Field[Any, Any], bool]] | None:
    method = model.__str__
    if method is models.Model.__str__:
        return [f"{model.__name__} object (", (model._meta.pk, True), ")"]
    returned, self_name = _returned_expression(method)
    if isinstance(returned, ast.Attribute):  # return self.<field>: must be a str already
        field = _field(model, returned, self_name)
        if field is None or kind(field) not in TEXT_KINDS or field.null:
            return None
        return [(field, False)]
    if (
        isinstance(returned, ast.Call)
        and isinstance(returned.func, ast.Name)
        and returned.func.id == "str"
        and len(returned.args) == 1
        and not returned.keywords
    ):
        returned = ast.JoinedStr([ast.FormattedValue(returned.args[0], -1, None)])
    if not isinstance(returned, ast.JoinedStr):
        return None
    parts: list[str | tuple[Field[Any, Any], bool]] = []
    for value in returned.values:
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            parts.append(value.value)
            continue
        if not (
            isinstance(value, ast.FormattedValue)
            and value.format_spec is None
            and value.conversion in (-1, _STR_CONVERSION)
            and isinstance(value.value, ast.Attribute)
        ):
            return None
        field = _field(model, value.value, self_name)
        if field is None or kind(field) not in _SHOWN_AS_TEXT:
            return None
        parts.append((field, True))
    return parts


def _returned_expression(method: Any) -> tuple[ast.expr | None, str | None]:
    """The expression of a method whose body is one ``return`` (after a docstring), and the
    name of its first argument (the object); ``None`` when it is not such a method or its
    source cannot be read."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(method)))
    except (OSError, TypeError, SyntaxError):
        return None, None
    function = tree.body[0] if tree.body else None
    if not isinstance(function, ast.FunctionDef) or function.decorator_list:
        return None, None
    body = function.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    if len(body) != 1 or not isinstance(body[0], ast.Return) or not function.args.args:
        return None, None
    return body[0].value, function.args.args[0].arg


def _field(
    model: type[models.Model], node: ast.Attribute, self_name: str | None
) -> Field[Any, Any] | None:
    """The concrete field ``self.<name>`` reads, when the name is the field's own attribute
    (``pk``, a column's attname) and nothing on the class shadows it."""
    if not isinstance(node.value, ast.Name) or node.value.id != self_name:
        return None
    meta = model._meta
    name = node.attr
    if name == "pk":
        shadow = inspect.getattr_static(model, "pk", None)
        return meta.pk if shadow is inspect.getattr_static(models.Model, "pk") else None
    field = next((f for f in meta.concrete_fields if f.attname == name), None)
    if field is None or not isinstance(
        inspect.getattr_static(model, name, None), DeferredAttribute
    ):
        return None
    return field
