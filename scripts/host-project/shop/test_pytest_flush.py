"""The same promises with pytest-django's own fixtures: nothing configured, no fixture of ours."""

from urllib.request import urlopen

import pytest

from django_audit_log import AuditLog, log_event


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("action", ["first", "second"])
def test_each_transactional_test_starts_empty(action):
    log_event(action)
    assert list(AuditLog.objects.values_list("action", flat=True)) == [action]


def test_live_server_page_writes_an_entry(live_server, transactional_db):
    with urlopen(f"{live_server.url}/seen/") as response:
        entry_id = response.read().decode()
    assert [str(pk) for pk in AuditLog.objects.values_list("pk", flat=True)] == [entry_id]
