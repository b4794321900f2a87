"""psycopg 3: a tracked save's one statement is planned once per connection, not on every save.

Django binds parameters on the client unless ``server_side_binding`` is set, so PostgreSQL
parses and plans every statement afresh. A tracked save's statement (single_statement.py), a
data-modifying CTE around the row's INSERT or UPDATE that calls the entry writer, took about
90 µs of server CPU per save to parse, analyse and plan in profiles on the benchmark machine (a
plain INSERT: 30). Its text is the same on every save of a model with the same fields (only the
parameters differ), so it is sent with server-side binding instead, and psycopg prepares it
once the same text has run ``prepare_threshold`` times on the connection (5 by default), as it
does for every query of a host that turned server-side binding on. Django reads the result
from that cursor and closes it as it would have closed its own.

A connection whose ``prepare_threshold`` is ``None`` (psycopg's setting for a pooler that cannot
keep prepared statements, such as PgBouncer in transaction mode without
``max_prepared_statements``) keeps the client-bound statement: binding on the server without
preparing saves nothing. Neither changes while Django logs queries, nor with psycopg 2.
"""

from __future__ import annotations

import functools
from typing import Any


@functools.cache
def _cursor_classes() -> tuple[Any, Any]:
    """psycopg 3's client-binding and server-binding cursors; ``(None, None)`` without psycopg 3.
    Imported on first use, which is on PostgreSQL only (the driver is loaded by then)."""
    try:
        from psycopg import ClientCursor, Cursor
    except ImportError:
        return None, None
    return ClientCursor, Cursor


def prepare_next_statement(wrapper: Any) -> None:
    """Make the next statement executed through Django's cursor ``wrapper`` one that psycopg
    may prepare: its client-binding psycopg cursor is swapped for a server-binding one on the
    same connection. Only the key comes back from a tracked save's statement (values the
    database decides are never carried, see ``_Plan.carries``), so the time zone loader Django
    may register on the cursor it made is not needed on this one."""
    client_binding, server_binding = _cursor_classes()
    cursor = wrapper.cursor
    if client_binding is None or not isinstance(cursor, client_binding):
        return  # psycopg 2, or the host binds on the server already
    if cursor.connection.prepare_threshold is None or wrapper.db.queries_logged:
        # Django's query log (DEBUG, assertNumQueries) shows the text a client-binding cursor
        # sent, values included; a prepared execution sends none, so there it stays as it was.
        return
    wrapper.cursor = server_binding(cursor.connection)
    cursor.close()
