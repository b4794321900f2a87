"""Bad input to every public entry point: ``SingletonValueError`` (a ``SingletonError``) naming
the field and the value and what was expected, and the database exactly as it was."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from django_singleton.exceptions import SingletonError, SingletonValueError
from tests.testapp.models import Owner, ShopSettings, SiteSettings, TaxSettings

pytestmark = pytest.mark.django_db


def snapshot():
    return [
        list(model.objects.values()) for model in (SiteSettings, ShopSettings, TaxSettings, Owner)
    ]


@pytest.fixture
def rows():
    SiteSettings.get_instance()
    ShopSettings.get_instance()
    TaxSettings(tax_rate=Decimal("7.50")).save()


def saved(model, **values):
    def save():
        row = model.get_instance()
        for name, value in values.items():
            setattr(row, name, value)
        row.save()

    return save


CASES = [
    # (id, call, words the message must contain)
    (
        "get_instance: using a number",
        lambda: SiteSettings.get_instance(using=5),
        "using cannot be 5",
    ),
    (
        "get_instance: unknown database",
        lambda: SiteSettings.get_instance(using="nope"),
        "expected a database alias",
    ),
    (
        "save: None in a NOT NULL field",
        saved(SiteSettings, site_name=None),
        "site_name cannot be None",
    ),
    ("save: over-long string", saved(SiteSettings, site_name="x" * 101), "at most 100 characters"),
    ("save: wrong type", saved(SiteSettings, maintenance="maybe"), "maintenance cannot be 'maybe'"),
    ("save: out-of-range number", saved(TaxSettings, tax_rate=2**40), "tax_rate"),
    ("save: not a number", saved(TaxSettings, tax_rate="lots"), "decimal number"),
    ("save: unsaved object", saved(SiteSettings, owner=Owner(name="new")), "a saved object"),
    (
        "save: naive datetime",
        saved(ShopSettings, opened_at=datetime(2024, 1, 1)),
        "expected an aware datetime",
    ),
    (
        "save: unknown database",
        lambda: SiteSettings.get_instance().save(using="nope"),
        "expected a database alias",
    ),
    ("update: None", lambda: SiteSettings.objects.update(site_name=None), "NOT NULL"),
    ("update: unknown field", lambda: SiteSettings.objects.update(colour="red"), "one of ["),
    ("update: over-long string", lambda: ShopSettings.objects.update(currency="EURO"), "currency"),
    (
        "update: naive datetime",
        lambda: ShopSettings.objects.update(opened_at=datetime(2024, 1, 1)),
        "aware datetime",
    ),
    (
        "update: unsaved object",
        lambda: SiteSettings.objects.update(owner=Owner(name="new")),
        "a saved object",
    ),
]


@pytest.mark.parametrize(("call", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_raises_the_package_error_and_writes_nothing(rows, call, words):
    before = snapshot()
    with pytest.raises(SingletonValueError) as raised:
        call()
    assert isinstance(raised.value, SingletonError)
    assert words in str(raised.value)
    assert snapshot() == before
