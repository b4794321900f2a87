"""Soft delete and restore with their cascade (django_basemodels.services)."""

from __future__ import annotations

from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

import pytest
from django.utils import timezone

from django_basemodels.exceptions import BaseModelsError, DeletionMomentError
from django_basemodels.models import DeletionRecord
from django_basemodels.services import restore, soft_delete
from tests.testapp.models import (
    Article,
    Attachment,
    Bin,
    Category,
    Comment,
    Note,
    Parcel,
    Ping,
    Pong,
    Reaction,
    Tag,
    Warehouse,
)

pytestmark = pytest.mark.django_db


def moments(model, **filters):
    return set(model.all_objects.filter(**filters).values_list("deleted_at", flat=True))


def test_delete_cascades_through_every_level_with_one_moment(thread):
    article, comments, _reactions = thread
    total, counts = soft_delete(Article.objects.filter(pk=article.pk))
    assert (total, counts) == (
        5,
        {"testapp.Article": 1, "testapp.Comment": 2, "testapp.Reaction": 2},
    )
    moment = Article.all_objects.get(pk=article.pk).deleted_at
    assert moment is not None
    assert moments(Comment, article=article) == {moment}
    assert moments(Reaction, comment__article=article) == {moment}
    assert Comment.all_objects.get(pk=comments[0].pk).updated_at == moment


def test_delete_leaves_other_rows_alone(thread):
    article, _comments, _reactions = thread
    other = Article.objects.create(title="other")
    other_comment = Comment.objects.create(article=other)
    soft_delete(Article.objects.filter(pk=article.pk))
    assert Article.objects.get() == other
    assert Comment.objects.get() == other_comment


def test_keys_that_do_not_cascade_are_not_followed(thread):
    article, _comments, _reactions = thread
    note = Note.objects.create(article=article)
    attachment = Attachment.objects.create(article=article)
    soft_delete(Article.objects.filter(pk=article.pk))
    assert Note.objects.get() == note  # SET_NULL: not part of the cascade
    assert Attachment.objects.get() == attachment  # not soft-deletable: untouched


def test_restore_brings_back_exactly_what_the_delete_took(thread):
    article, comments, reactions = thread
    earlier = timezone.now() - timedelta(days=1)
    soft_delete(Comment.objects.filter(pk=comments[1].pk), earlier)  # deleted on its own
    soft_delete(Reaction.objects.filter(pk=reactions[1].pk), earlier)
    soft_delete(Article.objects.filter(pk=article.pk))
    total, counts = restore(Article.all_objects.filter(pk=article.pk))
    assert counts == {"testapp.Article": 1, "testapp.Comment": 1, "testapp.Reaction": 1}
    assert total == 3
    assert list(Comment.objects.all()) == [comments[0]]
    assert list(Reaction.objects.all()) == [reactions[0]]
    assert moments(Comment, pk=comments[1].pk) == {earlier}
    assert moments(Reaction, pk=reactions[1].pk) == {earlier}


def test_restore_of_a_child_alone_keeps_its_parent_deleted(thread):
    article, comments, reactions = thread
    soft_delete(Article.objects.filter(pk=article.pk))
    _total, counts = restore(Comment.all_objects.filter(pk=comments[0].pk))
    assert counts == {"testapp.Comment": 1, "testapp.Reaction": 2}
    assert Article.objects.count() == 0
    assert set(Reaction.objects.all()) == set(reactions)


def test_restore_of_a_child_leaves_its_siblings_share_of_the_batch_deleted(thread):
    article, comments, reactions = thread
    sibling_reaction = Reaction.objects.create(comment=comments[1])
    soft_delete(Article.objects.filter(pk=article.pk))
    moment = Article.all_objects.get(pk=article.pk).deleted_at
    _total, counts = restore(Comment.all_objects.filter(pk=comments[0].pk))
    assert counts == {"testapp.Comment": 1, "testapp.Reaction": 2}
    assert set(Reaction.objects.all()) == set(reactions)
    # Same moment, same batch, but below a comment that stays deleted: not brought back.
    assert moments(Reaction, pk=sibling_reaction.pk) == {moment}
    assert moments(Comment, pk=comments[1].pk) == {moment}


def test_restore_clears_every_mark_and_sets_updated_at(thread):
    article, comments, _reactions = thread
    soft_delete(Article.objects.filter(pk=article.pk))
    before = timezone.now()
    restore(Article.all_objects.all())
    assert Comment.all_objects.filter(deleted_at__isnull=False).count() == 0
    assert Reaction.all_objects.filter(deleted_at__isnull=False).count() == 0
    assert Comment.objects.get(pk=comments[0].pk).updated_at >= before


def test_rows_deleted_at_different_moments_each_restore_their_own_batch():
    first, second = Article.objects.create(title="1"), Article.objects.create(title="2")
    kept_with_first = Comment.objects.create(article=first)
    on_its_own = Comment.objects.create(article=second)
    with_second = Comment.objects.create(article=second)
    base = timezone.now()
    soft_delete(Comment.objects.filter(pk=on_its_own.pk), base - timedelta(hours=2))
    soft_delete(Article.objects.filter(pk=first.pk), base - timedelta(hours=1))
    soft_delete(Article.objects.filter(pk=second.pk), base)
    assert restore(Article.all_objects.all())[1]["testapp.Comment"] == 2
    assert set(Comment.objects.all()) == {kept_with_first, with_second}


def test_self_referencing_cascade_reaches_every_depth():
    root = Category.objects.create(name="root")
    level = root
    chain = []
    for depth in range(4):
        level = Category.objects.create(name=f"level {depth}", parent=level)
        chain.append(level)
    sibling = Category.objects.create(name="sibling")
    _total, counts = soft_delete(Category.objects.filter(pk=root.pk))
    assert counts == {"testapp.Category": 5}
    assert list(Category.objects.all()) == [sibling]
    assert len(moments(Category, deleted_at__isnull=False)) == 1
    assert restore(Category.all_objects.filter(pk=root.pk))[1] == {"testapp.Category": 5}
    assert Category.objects.count() == 6


def test_a_diamond_is_deleted_and_restored_along_both_paths():
    home, other = Warehouse.objects.create(name="home"), Warehouse.objects.create(name="other")
    home_bin, other_bin = Bin.objects.create(warehouse=home), Bin.objects.create(warehouse=other)
    both_paths = Parcel.objects.create(warehouse=home, bin=home_bin)
    by_warehouse = Parcel.objects.create(warehouse=home, bin=other_bin)
    by_bin = Parcel.objects.create(warehouse=other, bin=home_bin)
    untouched = Parcel.objects.create(warehouse=other, bin=other_bin)
    earlier = timezone.now() - timedelta(days=1)
    on_its_own = Parcel.objects.create(warehouse=home, bin=home_bin)
    soft_delete(Parcel.objects.filter(pk=on_its_own.pk), earlier)

    _total, counts = soft_delete(Warehouse.objects.filter(pk=home.pk))
    assert counts == {"testapp.Warehouse": 1, "testapp.Bin": 1, "testapp.Parcel": 3}
    assert list(Parcel.objects.all()) == [untouched]
    moment = Warehouse.all_objects.get(pk=home.pk).deleted_at
    assert moments(Parcel, pk__in=[both_paths.pk, by_warehouse.pk, by_bin.pk]) == {moment}

    _total, counts = restore(Warehouse.all_objects.filter(pk=home.pk))
    assert counts == {"testapp.Warehouse": 1, "testapp.Bin": 1, "testapp.Parcel": 3}
    assert set(Parcel.objects.all()) == {both_paths, by_warehouse, by_bin, untouched}
    assert moments(Parcel, pk=on_its_own.pk) == {earlier}


def test_two_models_in_one_cycle_are_deleted_and_restored_at_every_depth():
    first = Ping.objects.create()
    second_pong = Pong.objects.create(ping=first)
    second = Ping.objects.create(pong=second_pong)
    third_pong = Pong.objects.create(ping=second)
    elsewhere = Ping.objects.create()
    earlier = timezone.now() - timedelta(days=1)
    on_its_own = Pong.objects.create(ping=second)
    soft_delete(Pong.objects.filter(pk=on_its_own.pk), earlier)

    _total, counts = soft_delete(Ping.objects.filter(pk=first.pk))
    assert counts == {"testapp.Ping": 2, "testapp.Pong": 2}
    assert list(Ping.objects.all()) == [elsewhere]
    assert not Pong.objects.exists()
    assert len(moments(Pong, pk__in=[second_pong.pk, third_pong.pk])) == 1

    _total, counts = restore(Ping.all_objects.filter(pk=first.pk))
    assert counts == {"testapp.Ping": 2, "testapp.Pong": 2}
    assert set(Pong.objects.all()) == {second_pong, third_pong}
    assert Ping.objects.count() == 3
    assert moments(Pong, pk=on_its_own.pk) == {earlier}


def test_already_deleted_rows_keep_their_moment():
    tag = Tag.objects.create(name="a")
    earlier = timezone.now() - timedelta(days=3)
    soft_delete(Tag.objects.filter(pk=tag.pk), earlier)
    assert soft_delete(Tag.all_objects.all()) == (0, {"testapp.Tag": 0})
    assert moments(Tag) == {earlier}


@pytest.mark.parametrize(
    "moment",
    [
        datetime(1969, 12, 31, tzinfo=dt_timezone.utc),
        datetime(2900, 1, 1, tzinfo=dt_timezone.utc),
        "2020-01-01",
    ],
)
def test_unusable_moment_is_refused_and_nothing_written(moment):
    Tag.objects.create(name="a")
    with pytest.raises(
        DeletionMomentError, match="expected an aware datetime from 1970-01-01"
    ) as error:
        soft_delete(Tag.objects.all(), moment)
    assert isinstance(error.value, BaseModelsError)
    assert error.value.moment == moment
    assert Tag.objects.count() == 1


def records_of(*rows):
    labels = {row._meta.label for row in rows}
    return DeletionRecord.objects.filter(model__in=labels)


def test_each_delete_records_every_row_it_took_under_one_operation(thread):
    article, comments, reactions = thread
    soft_delete(Article.objects.filter(pk=article.pk))
    recorded = set(DeletionRecord.objects.values_list("model", "object_id"))
    expected = {("testapp.Article", article.pk)}
    expected |= {("testapp.Comment", c.pk) for c in comments}
    expected |= {("testapp.Reaction", r.pk) for r in reactions}
    # Keys are stored as text in the database's own spelling; compare them as keys.
    assert {(label, str(key).replace("-", "")) for label, key in expected} == {
        (label, text.replace("-", "")) for label, text in recorded
    }
    assert DeletionRecord.objects.values("operation").distinct().count() == 1


def test_restore_removes_the_records_of_what_came_back(thread):
    article, _comments, _reactions = thread
    other = Tag.objects.create(name="kept")
    other.delete()
    soft_delete(Article.objects.filter(pk=article.pk))
    restore(Article.all_objects.filter(pk=article.pk))
    assert list(DeletionRecord.objects.values_list("model", flat=True)) == ["testapp.Tag"]


def test_rows_deleted_before_records_existed_restore_by_their_moment(thread):
    article, comments, _reactions = thread
    earlier = timezone.now() - timedelta(days=1)
    soft_delete(Comment.objects.filter(pk=comments[1].pk), earlier)
    soft_delete(Article.objects.filter(pk=article.pk))
    DeletionRecord.objects.all().delete()  # as if deleted by a version without records
    assert restore(Article.all_objects.filter(pk=article.pk))[1] == {
        "testapp.Article": 1,
        "testapp.Comment": 1,
        "testapp.Reaction": 2,
    }
    assert moments(Comment, pk=comments[1].pk) == {earlier}


def test_integer_keys_are_recorded_and_restored():
    tags = Tag.objects.bulk_create([Tag(name=str(i)) for i in range(3)])
    moment = timezone.now()
    Tag.objects.filter(pk=tags[0].pk).soft_delete_at(moment)
    Tag.objects.filter(pk__in=[tags[1].pk, tags[2].pk]).soft_delete_at(moment)
    assert Tag.all_objects.filter(pk=tags[0].pk).restore() == 1
    assert list(Tag.objects.all()) == [tags[0]]
    assert sorted(DeletionRecord.objects.values_list("object_id", flat=True)) == sorted(
        str(tag.pk) for tag in tags[1:]
    )


def test_a_hard_delete_takes_the_records_of_what_it_removes(thread):
    article, comments, _reactions = thread
    kept = Tag.objects.create(name="kept")
    kept.delete()
    soft_delete(Comment.objects.filter(pk=comments[1].pk))
    soft_delete(Article.objects.filter(pk=article.pk))
    Article.all_objects.get(pk=article.pk).hard_delete()
    assert list(DeletionRecord.objects.values_list("model", flat=True)) == ["testapp.Tag"]
    Tag.deleted_objects.all().hard_delete()
    assert not DeletionRecord.objects.exists()
