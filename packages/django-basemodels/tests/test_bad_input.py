"""Bad input to every public operation: the package's own error, naming the value and what was
expected, and the database exactly as it was."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from django_basemodels.exceptions import (
    BaseModelsError,
    DeletionMomentError,
    NotSoftDeletableError,
    SoftDeleteBypassError,
    UnsavedRowError,
)
from django_basemodels.services import restore, soft_delete
from tests.testapp.models import Article, Comment, Tag, Token

pytestmark = pytest.mark.django_db


def snapshot():
    """Every row the suite's models hold, with its deleted_at."""
    return {
        model._meta.label: sorted(model.all_objects.values_list("pk", "deleted_at"), key=str)
        for model in (Article, Comment, Tag)
    }


@pytest.fixture
def rows(thread):
    Tag.objects.create(name="t")
    gone = Tag.objects.create(name="gone")
    gone.delete()
    return thread


CASES = [
    # (id, call, error class, words the message must contain)
    ("soft_delete: None", lambda: soft_delete(None), NotSoftDeletableError, "None"),
    (
        "soft_delete: a list, not a queryset",
        lambda: soft_delete([Article.objects.first()]),
        NotSoftDeletableError,
        "expected a QuerySet",
    ),
    (
        "soft_delete: a model that is not soft-deletable",
        lambda: soft_delete(Token.objects.all()),
        NotSoftDeletableError,
        "SoftDeleteModel",
    ),
    ("restore: None", lambda: restore(None), NotSoftDeletableError, "None"),
    (
        "restore: a model instance",
        lambda: restore(Article.objects.first()),
        NotSoftDeletableError,
        "expected a QuerySet",
    ),
    (
        "moment: None means now, a string is refused",
        lambda: Tag.objects.all().soft_delete_at("2020-01-01"),
        DeletionMomentError,
        "'2020-01-01'",
    ),
    (
        "moment: a number",
        lambda: Tag.objects.all().soft_delete_at(2**40),
        DeletionMomentError,
        str(2**40),
    ),
    (
        "moment: a naive datetime",
        lambda: Tag.objects.all().soft_delete_at(datetime(2020, 1, 1)),
        DeletionMomentError,
        "expected an aware datetime",
    ),
    (
        "moment: out of range",
        lambda: Tag.objects.all().soft_delete_at(datetime(3000, 1, 1, tzinfo=timezone.utc)),
        DeletionMomentError,
        "up to (not including) 2870",
    ),
    (
        "moment: an over-long string",
        lambda: Tag.objects.all().soft_delete_at("9" * 10_000),
        DeletionMomentError,
        "not usable",
    ),
    (
        "delete(): an unsaved object",
        lambda: Article(title="never saved").delete(),
        UnsavedRowError,
        "expected a saved row",
    ),
    (
        "restore(): an unsaved object",
        lambda: Article(title="never saved").restore(),
        UnsavedRowError,
        "testapp.Article",
    ),
    (
        "create(): born deleted",
        lambda: Tag.objects.create(name="x", deleted_at=datetime(2020, 1, 1)),
        SoftDeleteBypassError,
        "save() on testapp.Tag",
    ),
    (
        "update(): deleted_at",
        lambda: Tag.objects.update(deleted_at=None),
        SoftDeleteBypassError,
        "update() on testapp.Tag",
    ),
]


@pytest.mark.parametrize(
    ("call", "error", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_input_raises_the_package_error_and_writes_nothing(rows, call, error, words):
    before = snapshot()
    with pytest.raises(error) as raised:
        call()
    assert isinstance(raised.value, BaseModelsError)
    assert words in str(raised.value)
    assert snapshot() == before
