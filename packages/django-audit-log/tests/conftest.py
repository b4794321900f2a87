"""Fixtures only."""

import pytest
from django.db import connection


@pytest.fixture(autouse=True)
def _flushable_audit_table(request):
    """Let the test database be flushed between transactional tests on PostgreSQL.

    Django empties tables after a ``transaction=True`` test with one TRUNCATE, which the
    append-only trigger refuses. The switch the trigger honours is set for this session just
    before that flush, and every database test starts with it reset, so each test runs against
    a trigger that refuses everything.
    """
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        yield
        return
    transactional = marker.kwargs.get("transaction") or (marker.args and marker.args[0])
    request.getfixturevalue("transactional_db" if transactional else "db")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("RESET django_audit_log.maintenance")
    yield
    if transactional and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET django_audit_log.maintenance = 'on'")


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user(username="alice", password="x")


@pytest.fixture
def other_user(django_user_model):
    return django_user_model.objects.create_user(username="bob", password="x")


@pytest.fixture
def admin_user_client(client, django_user_model):
    admin = django_user_model.objects.create_superuser(username="root", password="x")
    client.force_login(admin)
    return client
