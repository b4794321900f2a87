"""django_basemodels.validation: the field-value checks the packages share, raising the error
class a package hands in, naming the field, the value and what was expected."""

from __future__ import annotations

from datetime import date, datetime
from datetime import timezone as dt_timezone

import pytest
from django.db import models
from django.db.models import F

from django_basemodels.validation import FieldValueChecks, is_expression
from tests.testapp.models import Article, Book, Clerk, Comment, LedgerLine, Note


class PackageError(Exception):
    """Stands for a package's own InvalidArgumentError."""

    def __init__(self, argument: str, value: object, expected: str) -> None:
        self.argument = argument
        self.value = value
        self.expected = expected
        super().__init__(f"{argument}={value!r}; expected {expected}")


checks = FieldValueChecks(PackageError)
AWARE = datetime(2026, 1, 2, 3, 4, tzinfo=dt_timezone.utc)


def field(kind: type[models.Field], name: str = "f", **options) -> models.Field:
    made = kind(**options)
    made.set_attributes_from_name(name)
    return made


VALUE_CASES = [
    # (id, field, value, words the expected text must contain)
    ("none-not-null", field(models.CharField, max_length=5), None, "cannot be empty"),
    ("bool-as-int", field(models.BooleanField), 1, "True or False"),
    ("naive-datetime", field(models.DateTimeField), datetime(2026, 1, 2), "timezone-aware"),
    ("datetime-as-text", field(models.DateTimeField), "2026-01-02", "timezone-aware"),
    ("datetime-for-date", field(models.DateField), AWARE, "datetime.date"),
    ("text-for-date", field(models.DateField), "2026-01-02", "datetime.date"),
    ("int-for-text", field(models.CharField, max_length=5), 5, "string of at most 5"),
    ("nul-in-text", field(models.TextField), "a\x00b", "without NUL"),
    ("too-long", field(models.CharField, max_length=5), "abcdef", "at most 5 characters"),
    ("empty-not-blank", field(models.CharField, max_length=5), "", "non-empty string"),
    ("bad-email", field(models.EmailField), "not an address", "valid email"),
]


@pytest.mark.parametrize(
    ("model_field", "value", "words"),
    [case[1:] for case in VALUE_CASES],
    ids=[case[0] for case in VALUE_CASES],
)
def test_a_bad_value_raises_the_given_error_naming_field_value_and_expectation(
    model_field, value, words
):
    with pytest.raises(PackageError) as raised:
        checks.check_value(model_field, value)
    assert raised.value.argument == "f"
    assert raised.value.value is value
    assert words in raised.value.expected


GOOD_CASES = [
    ("text", field(models.CharField, max_length=5), "abc"),
    ("blank-allowed", field(models.CharField, max_length=5, blank=True), ""),
    ("null-allowed", field(models.CharField, max_length=5, null=True), None),
    ("bool", field(models.BooleanField), False),
    ("aware-datetime", field(models.DateTimeField), AWARE),
    ("date", field(models.DateField), date(2026, 1, 2)),
    ("email", field(models.EmailField), "a@example.com"),
    ("expression", field(models.CharField, max_length=5), F("other")),
    ("integer-left-to-the-database", field(models.IntegerField), "not checked here"),
]


@pytest.mark.parametrize(
    ("model_field", "value"),
    [case[1:] for case in GOOD_CASES],
    ids=[case[0] for case in GOOD_CASES],
)
def test_a_good_value_passes(model_field, value):
    assert checks.check_value(model_field, value) is None


def test_allow_empty_lets_an_empty_string_through_but_not_a_long_one():
    name = field(models.CharField, max_length=3)
    checks.check_value(name, "", allow_empty=True)
    with pytest.raises(PackageError, match="at most 3"):
        checks.check_value(name, "abcd", allow_empty=True)


def test_the_name_given_replaces_the_field_name():
    with pytest.raises(PackageError) as raised:
        checks.check_value(field(models.BooleanField), "yes", "published_flag")
    assert raised.value.argument == "published_flag"


def test_is_expression_tells_database_computed_values_from_plain_ones():
    assert is_expression(F("title"))
    assert not is_expression("title")


@pytest.mark.django_db
def test_check_instance_checks_written_fields_and_skips_keys_and_stamps():
    checks.check_instance(Book(title="fine", published=True))
    with pytest.raises(PackageError) as raised:
        checks.check_instance(Book(title="x" * 101))
    assert raised.value.argument == "title"


@pytest.mark.django_db
def test_check_instance_only_checks_the_named_fields():
    book = Book(title="", published="no")
    checks.check_instance(book, ["title"], may_be_empty=["title"])
    with pytest.raises(PackageError) as raised:
        checks.check_instance(book, ["published"])
    assert raised.value.argument == "published"
    with pytest.raises(PackageError) as raised:
        checks.check_instance(book, ["title"])
    assert raised.value.argument == "title"


@pytest.mark.django_db
def test_check_instance_refuses_an_unsaved_or_foreign_related_object():
    with pytest.raises(PackageError, match=r"a saved testapp\.Article"):
        checks.check_instance(Comment(article=Article(title="unsaved"), body="b"))
    clerk = Clerk.objects.create(name="c")
    comment = Comment(body="b")
    comment.article_id = "not a uuid"
    with pytest.raises(PackageError, match=r"the key of a testapp\.Article"):
        checks.check_instance(comment)
    with pytest.raises(PackageError) as raised:
        checks.check_instance(LedgerLine(booked_by=clerk, amount=1, booked_at=datetime(2026, 1, 1)))
    assert raised.value.argument == "booked_at"


@pytest.mark.django_db
def test_check_instance_lets_a_null_key_through_only_where_the_field_is_nullable():
    checks.check_instance(Note(article=None))
    with pytest.raises(PackageError, match="cannot be empty"):
        checks.check_instance(Comment(article=None, body="b"))


@pytest.mark.django_db
def test_check_update_values_checks_plain_values_and_names_unknown_fields(
    django_assert_num_queries,
):
    article = Article.objects.create(title="a")
    with django_assert_num_queries(0):
        checks.check_update_values(Book, {"title": F("title"), "published": True})
        checks.check_update_values(Comment, {"article": article})
    with pytest.raises(PackageError, match="no such field"):
        checks.check_update_values(Book, {"colour": "red"})
    with pytest.raises(PackageError, match="True or False"):
        checks.check_update_values(Book, {"published": "yes"})
    checks.check_update_values(Book, {"title": ""}, may_be_empty=["title"])
    with pytest.raises(PackageError, match="non-empty"):
        checks.check_update_values(Book, {"title": ""})


@pytest.mark.django_db
def test_check_update_values_looks_up_a_bare_key_once(django_assert_num_queries):
    article = Article.objects.create(title="a")
    with django_assert_num_queries(1):
        checks.check_update_values(Comment, {"article_id": article.pk})
    missing = Article(title="never saved").pk
    with django_assert_num_queries(1), pytest.raises(PackageError) as raised:
        checks.check_update_values(Comment, {"article": missing})
    assert raised.value.expected == "the key of an existing testapp.Article"
