"""The host's own transactional tests, run by `manage.py test` and by pytest. Each test ends
with a flush of every table, the audit log's append-only table included."""

from urllib.request import urlopen

from django.db import IntegrityError, connection, transaction
from django.test import LiveServerTestCase, TransactionTestCase

from django_audit_log import AuditLog, log_event
from django_basemodels.testing import AppendOnlyFlushMixin


class AuditedTransactionTests(AppendOnlyFlushMixin, TransactionTestCase):
    # Two tests that each find only their own entry: the flush between them went through.
    def test_first_entry(self):
        log_event("first")
        assert list(AuditLog.objects.values_list("action", flat=True)) == ["first"]

    def test_second_entry(self):
        log_event("second")
        assert list(AuditLog.objects.values_list("action", flat=True)) == ["second"]

    def test_the_trigger_still_refuses_inside_a_test(self):
        log_event("kept")
        for statement in ("DELETE FROM", "TRUNCATE"):
            with (
                self.assertRaisesMessage(
                    IntegrityError, f"{statement.split()[0]} on django_audit_log_auditlog refused"
                ),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(f"{statement} django_audit_log_auditlog")
        assert AuditLog.objects.count() == 1


class AuditedLiveServerTests(AppendOnlyFlushMixin, LiveServerTestCase):
    def test_a_page_served_by_the_live_server_writes_an_entry(self):
        with urlopen(f"{self.live_server_url}/seen/") as response:
            entry_id = response.read().decode()
        entry = AuditLog.objects.get()
        assert (str(entry.pk), entry.action) == (entry_id, "page_seen")
