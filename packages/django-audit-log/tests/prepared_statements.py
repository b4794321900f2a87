"""The connection's psycopg ``prepare_threshold`` for the length of a test (see prepared.py)."""

from django.db import connection


def prepare_threshold(threshold):
    """A generator for a fixture: sets ``threshold`` on the open connection, then restores it.
    The statements psycopg prepared meanwhile do not outlive the test: psycopg deallocates them
    all when the test's transaction rolls back."""
    connection.ensure_connection()
    before = connection.connection.prepare_threshold
    connection.connection.prepare_threshold = threshold
    try:
        yield
    finally:
        connection.connection.prepare_threshold = before


def prepared_statements(fragment):
    """The statements prepared on this session whose text holds ``fragment``: text and number
    of executions (one plan each)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement, generic_plans + custom_plans FROM pg_prepared_statements"
            " WHERE strpos(statement, %s) > 0",
            [fragment],
        )
        return cursor.fetchall()
