from django.db import connection

from django_worklog.checks import check_database_guards


def ids(messages):
    return [message.id for message in messages]


def test_postgresql_and_sqlite_pass():
    assert check_database_guards(databases=["default"]) == []


def test_without_databases_nothing_is_checked():
    assert check_database_guards() == []


def test_no_conditional_uniqueness_warns(monkeypatch):
    monkeypatch.setattr(
        "django_worklog.checks.conditional_uniqueness_enforced", lambda connection: False
    )
    monkeypatch.setattr(connection, "vendor", "postgresql")  # a vendor with the trigger
    [warning] = check_database_guards(databases=["default"])
    assert warning.id == "worklog.W001"
    assert "one active work session per user" in warning.msg
    assert warning.hint


def test_mariadb_enforces_one_active_session_without_partial_indexes(monkeypatch):
    monkeypatch.setattr(connection.features, "supports_partial_indexes", False)
    monkeypatch.setattr(connection, "vendor", "mysql")
    assert "worklog.W001" not in ids(check_database_guards(databases=["default"]))


def test_no_trigger_vendor_warns(monkeypatch):
    monkeypatch.setattr(connection.features, "supports_partial_indexes", True)  # W001 aside
    monkeypatch.setattr(connection, "vendor", "oracle")
    assert ids(check_database_guards(databases=["default"])) == ["worklog.W002"]


def test_mariadb_gets_the_triggers_so_no_w002(monkeypatch):
    monkeypatch.setattr(connection, "vendor", "mysql")
    assert "worklog.W002" not in ids(check_database_guards(databases=["default"]))
