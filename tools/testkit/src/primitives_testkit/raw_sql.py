"""Write a row the way an attacker with a database connection would: plain SQL, no Django."""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections, models


def insert_by_raw_sql(instance: models.Model, using: str = DEFAULT_DB_ALIAS) -> None:
    """INSERT ``instance``'s row with one hand-written statement: no ``save()``, no manager, no
    signal, no Python guard runs, so only the database can refuse it.

    Values come from the unsaved instance (defaults included, ``auto_now`` fields filled in);
    a primary key left as None is left to the database.
    """
    connection = connections[using]
    model = type(instance)
    fields = [
        field
        for field in model._meta.concrete_fields
        if not getattr(field, "generated", False)
        and not (field.primary_key and getattr(instance, field.attname) is None)
    ]
    values = [
        field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields
    ]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})",
            values,
        )
