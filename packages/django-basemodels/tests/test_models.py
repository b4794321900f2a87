import uuid

import pytest

from django_basemodels.ids import uuid7
from tests.testapp.models import Article, Comment, Tag, Token

pytestmark = pytest.mark.django_db


def test_uuid_pk_is_version_7_by_default():
    token = Token.objects.create(label="a")
    assert isinstance(token.pk, uuid.UUID)
    assert token.pk.version == 7


def test_uuid_version_4_by_setting(settings):
    settings.BASEMODELS_UUID_VERSION = 4
    assert Token.objects.create(label="a").pk.version == 4


def test_uuid7_is_monotonic_within_a_process():
    ids = [uuid7() for _ in range(10_000)]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)


def test_instance_delete_is_soft_and_returns_django_shape():
    article = Article.objects.create(title="x")
    assert article.delete() == (1, {"testapp.Article": 1})
    assert article.is_deleted
    assert not Article.objects.filter(pk=article.pk).exists()
    assert Article.all_objects.filter(pk=article.pk).exists()
    assert Article.deleted_objects.get(pk=article.pk).deleted_at == article.deleted_at


def test_restore_and_hard_delete():
    article = Article.objects.create(title="x")
    article.delete()
    article.restore()
    assert not article.is_deleted
    assert Article.objects.filter(pk=article.pk).exists()
    article.hard_delete()
    assert not Article.all_objects.filter(pk=article.pk).exists()


def test_queryset_delete_is_one_update(django_assert_num_queries):
    Tag.objects.bulk_create([Tag(name=str(i)) for i in range(1000)])
    with django_assert_num_queries(1):
        assert Tag.objects.all().delete() == (1000, {"testapp.Tag": 1000})
    assert Tag.objects.count() == 0
    assert Tag.all_objects.filter(name="1").restore() == 1
    assert Tag.objects.count() == 1


def test_related_manager_hides_deleted_rows():
    article = Article.objects.create(title="x")
    kept = Comment.objects.create(article=article)
    Comment.objects.create(article=article).delete()
    assert list(article.comments.all()) == [kept]
