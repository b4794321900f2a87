"""``ServerTimeField``: a datetime that the database may set, read back on insert."""

from __future__ import annotations

from typing import Any

from django.db import connection, models


class ServerTimeField(models.DateTimeField):  # type: ignore[type-arg]  # generic in the stubs only
    """A ``DateTimeField`` whose value the INSERT returns (``RETURNING``), so that a value set
    by a database trigger is the one the saved instance holds.

    The column is a plain datetime column: migrations see a ``DateTimeField``.
    """

    @property
    def db_returning(self) -> bool:
        # Only where INSERT ... RETURNING exists: elsewhere Django would hand back the last
        # inserted id in its place.
        return bool(connection.features.can_return_columns_from_insert)

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DateTimeField", args, kwargs
