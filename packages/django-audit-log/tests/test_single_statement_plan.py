"""What single_statement works out once per model (its plan), and when it works it out again."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.models import F
from django.test import override_settings
from django.test.utils import isolate_apps

from django_audit_log import single_statement
from django_audit_log.diffing import is_expression, tracked_fields
from django_audit_log.models import AuditLog
from django_audit_log.tracking import AuditTrackedModel
from tests.testapp.models import Account, Folder, Invoice, Page


@pytest.fixture(autouse=True)
def _warm_content_types(db):
    """The budgets below are those of a warm process (the content type read once and cached)."""
    ContentType.objects.get_for_models(Invoice, Account, Page, for_concrete_models=False)


def created_entry(obj):
    return AuditLog.objects.get(action="create", target_id=str(obj.pk))


def test_a_model_has_one_plan_until_its_fields_change():
    plan = single_statement.plan_of(Account, connection)
    assert single_statement.plan_of(Account, connection) is plan


@isolate_apps("tests.testapp")
def test_a_field_added_to_the_model_makes_a_new_plan():
    """Django expires the model's field caches when a field is added (a test's or a migration's
    model); the plan, made from the old fields, must not miss the new one."""

    class Ledger(AuditTrackedModel):
        name = models.CharField(max_length=10)

        class Meta:
            app_label = "testapp"

        def __str__(self) -> str:
            return self.name

    before = single_statement.plan_of(Ledger, connection)
    assert [field.name for field in tracked_fields(Ledger)] == ["name"]
    models.IntegerField(default=0).contribute_to_class(Ledger, "balance")
    after = single_statement.plan_of(Ledger, connection)
    assert after is not before
    assert "balance" in after.attnames
    assert "balance" not in before.attnames
    assert [field.name for field in tracked_fields(Ledger)] == ["name", "balance"]
    # An expression assigned to the new field is seen: the entry goes after the row.
    ledger = Ledger(name="l", balance=F("balance") + 1)
    assert single_statement._applies(ledger, after) is False


def test_the_label_is_known_from_the_models_str():
    assert single_statement.plan_of(Page, connection).label == single_statement._DJANGO_LABEL
    # `return self.name`: never the key, one str() per save instead of three tried keys.
    assert single_statement.plan_of(Account, connection).label == (
        single_statement._LABEL_WITHOUT_KEY
    )


def test_a_str_that_shows_the_key_is_tried_on_every_save(monkeypatch):
    plan = single_statement.plan_of(Page, connection)
    monkeypatch.setattr(Page, "__str__", lambda page: f"page {page.pk}")
    replanned = single_statement.plan_of(Page, connection)
    assert replanned is not plan
    assert replanned.label == single_statement._LABEL_TRIED


def test_is_expression_does_not_trust_a_subclass_of_a_plain_type():
    class Computed(str):
        def resolve_expression(self, *args, **kwargs):  # pragma: no cover - never resolved
            return self

    assert is_expression(F("n") + 1)
    assert is_expression(Computed("x"))
    assert [is_expression(value) for value in ("x", None, 1)] == [False, False, False]


@pytest.mark.postgresql
@pytest.mark.django_db
class TestOnPostgresql:
    def test_a_str_replaced_after_the_plan_is_followed(
        self, monkeypatch, django_assert_num_queries
    ):
        folder = Folder.objects.create(name="f")
        first = Page.objects.create(folder=folder, body="a")  # the plan: Django's own label
        monkeypatch.setattr(Page, "__str__", lambda page: f"#{page.pk:06d}" if page.pk else "?")
        with django_assert_num_queries(2):  # not str(pk)-shaped: the entry after the row
            second = Page.objects.create(folder=folder, body="b")
        assert created_entry(first).target_repr == f"Page object ({first.pk})"
        assert created_entry(second).target_repr == f"#{second.pk:06d}"

    def test_a_label_that_shows_the_key_twice_gets_it_twice(
        self, monkeypatch, django_assert_num_queries
    ):
        monkeypatch.setattr(Page, "__str__", lambda page: f"{page.pk}/{page.body}/{page.pk}")
        folder = Folder.objects.create(name="f")
        with django_assert_num_queries(1):
            page = Page.objects.create(folder=folder, body="b")
        assert created_entry(page).target_repr == f"{page.pk}/b/{page.pk}"

    def test_a_label_that_looks_like_a_key_is_one_statement(self, django_assert_num_queries):
        """Tried keys cannot tell this name from a key; the source of __str__ can."""
        with django_assert_num_queries(1):
            account = Account.objects.create(name="918273645")
        entry = created_entry(account)
        assert (entry.target_repr, entry.target_id) == ("918273645", str(account.pk))

    def test_a_label_without_the_key_follows_values_set_while_saving(
        self, django_assert_num_queries
    ):
        """The label is read when the statement runs, after pre_save handlers."""
        from django.db.models.signals import pre_save

        def rename(sender, instance, **kwargs):
            instance.name = "renamed"

        pre_save.connect(rename, sender=Account)
        try:
            with django_assert_num_queries(1):
                account = Account.objects.create(name="first")
        finally:
            pre_save.disconnect(rename, sender=Account)
        assert created_entry(account).target_repr == "renamed"

    @pytest.mark.parametrize("model", [Account, Invoice])
    def test_the_seal_key_is_read_on_every_save(self, model, django_assert_num_queries):
        plan = single_statement.plan_of(model, connection)
        values = {"name": "k"} if model is Account else {"number": "k"}
        with override_settings(AUDIT_LOG_SEAL_KEY=None), django_assert_num_queries(1):
            unsealed = model.objects.create(**values)
        with django_assert_num_queries(1):
            sealed = model.objects.create(**values)
        assert single_statement.plan_of(model, connection) is plan
        assert created_entry(unsealed).stamp == ""
        assert len(created_entry(sealed).stamp) == 32

    def test_a_redaction_setting_changed_after_the_plan_applies(self):
        single_statement.plan_of(Account, connection)
        with override_settings(AUDIT_LOG_REDACT_KEYS=["name"]):
            account = Account.objects.create(name="hidden", api_token="t")
        assert created_entry(account).changes == {
            "name": {"old": None, "new": "[redacted]"},
            "api_token": {"old": None, "new": "t"},
        }
