"""The abstract models (django_basemodels.models)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.testapp.models import Article, Comment, Reaction, Tag, Token

pytestmark = pytest.mark.django_db


def test_uuid_model_has_a_uuid_primary_key():
    token = Token.objects.create(label="a")
    assert isinstance(token.pk, uuid.UUID)
    assert Token._meta.pk.name == "id"


def test_timestamps():
    before = timezone.now()
    article = Article.objects.create(title="x")
    assert before <= article.created_at <= article.updated_at
    created = article.created_at
    article.title = "y"
    article.save()
    article.refresh_from_db()
    assert article.created_at == created
    assert article.updated_at > created
    assert Article._meta.get_field("created_at").db_index
    assert Article._meta.get_field("deleted_at").db_index


def test_instance_delete_is_soft_and_returns_django_shape():
    article = Article.objects.create(title="x")
    assert article.delete() == (1, {"testapp.Article": 1})
    assert article.is_deleted
    assert article.updated_at == article.deleted_at
    assert not Article.objects.filter(pk=article.pk).exists()
    assert Article.all_objects.filter(pk=article.pk).exists()
    assert Article.deleted_objects.get(pk=article.pk).deleted_at == article.deleted_at


def test_instance_delete_cascades_and_counts_every_model(thread):
    article, _comments, _reactions = thread
    assert article.delete() == (
        5,
        {"testapp.Article": 1, "testapp.Comment": 2, "testapp.Reaction": 2},
    )
    assert Comment.objects.count() == 0
    assert Reaction.objects.count() == 0


def test_deleting_twice_keeps_the_first_moment():
    tag = Tag.objects.create(name="a")
    tag.delete()
    first = tag.deleted_at
    assert tag.delete() == (0, {"testapp.Tag": 0})
    assert tag.deleted_at == first
    assert Tag.all_objects.get().deleted_at == first


def test_instance_restore_brings_back_its_batch(thread):
    article, comments, reactions = thread
    comments[1].delete()
    article.delete()
    assert article.restore() == 1
    assert not article.is_deleted
    assert list(Comment.objects.all()) == [comments[0]]
    assert set(Reaction.objects.all()) == set(reactions)
    assert article.restore() == 0


def test_hard_delete_removes_the_row():
    article = Article.objects.create(title="x")
    article.delete()
    article.hard_delete()
    assert not Article.all_objects.filter(pk=article.pk).exists()


def test_related_manager_hides_deleted_rows():
    article = Article.objects.create(title="x")
    kept = Comment.objects.create(article=article)
    Comment.objects.create(article=article).delete()
    assert list(article.comments.all()) == [kept]


def test_child_deleted_before_its_parent_keeps_its_own_moment(thread):
    article, comments, _reactions = thread
    earlier = timezone.now() - timedelta(minutes=5)
    Comment.objects.filter(pk=comments[1].pk).soft_delete_at(earlier)
    article.delete()
    assert Comment.all_objects.get(pk=comments[1].pk).deleted_at == earlier
    assert Comment.all_objects.get(pk=comments[0].pk).deleted_at == article.deleted_at


def test_prefetch_hides_deleted_rows_and_forward_access_still_resolves(thread):
    article, comments, _reactions = thread
    comments[1].delete()
    (fetched,) = Article.objects.prefetch_related("comments")
    assert list(fetched.comments.all()) == [comments[0]]
    article.delete()
    deleted_parent = Comment.all_objects.get(pk=comments[0].pk).article
    assert deleted_parent == article
    assert deleted_parent.is_deleted


def test_save_of_an_instance_with_deleted_at_deferred_costs_one_query(django_assert_num_queries):
    Article.objects.create(title="x")
    article = Article.objects.only("title").get()
    article.title = "y"
    with django_assert_num_queries(1):
        article.save()
    assert Article.objects.get().title == "y"


def test_save_with_update_fields_leaves_deleted_at_alone():
    article = Article.objects.create(title="x")
    article.deleted_at = timezone.now()  # in memory only: not among the fields written
    article.title = "y"
    article.save(update_fields=["title"])
    assert Article.objects.get().title == "y"
