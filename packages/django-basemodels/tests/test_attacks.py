"""Every way around the promises of soft delete, tried as an attacker would.

One test per attack; each failed before the fix it names and passes after it.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from django_basemodels.exceptions import RestoreConflictError, SoftDeleteBypassError
from tests.testapp.models import Article, Bin, Comment, Parcel, Reaction, Slug, Tag, Warehouse

pytestmark = pytest.mark.django_db


def test_two_deletes_at_one_moment_are_restored_separately(thread):
    article, comments, reactions = thread
    moment = timezone.now() - timedelta(hours=1)
    # Two separate operations stamp the same moment: the comment on its own, then its article.
    Comment.objects.filter(pk=comments[1].pk).soft_delete_at(moment)
    Article.objects.filter(pk=article.pk).soft_delete_at(moment)

    assert Article.all_objects.filter(pk=article.pk).restore() == 1
    assert set(Comment.objects.all()) == {comments[0]}  # the comment's own delete stays
    assert set(Reaction.objects.all()) == set(reactions)
    assert Comment.all_objects.get(pk=comments[1].pk).deleted_at == moment

    assert Comment.all_objects.filter(pk=comments[1].pk).restore() == 1
    assert Comment.objects.count() == 2


def test_a_child_taken_by_another_delete_at_the_same_moment_stays_with_it():
    # A diamond: the parcel hangs off two warehouses' trees; each is deleted on its own.
    home, other = Warehouse.objects.create(name="home"), Warehouse.objects.create(name="other")
    other_bin = Bin.objects.create(warehouse=other)
    parcel = Parcel.objects.create(warehouse=home, bin=other_bin)
    moment = timezone.now()
    Warehouse.objects.filter(pk=other.pk).soft_delete_at(moment)  # takes the bin and the parcel
    Warehouse.objects.filter(pk=home.pk).soft_delete_at(moment)

    Warehouse.all_objects.filter(pk=home.pk).restore()
    assert Parcel.all_objects.get(pk=parcel.pk).deleted_at == moment
    Warehouse.all_objects.filter(pk=other.pk).restore()
    assert Parcel.objects.get() == parcel


def test_save_cannot_soft_delete_around_the_cascade(thread):
    article, _comments, _reactions = thread
    article.deleted_at = timezone.now()
    with pytest.raises(SoftDeleteBypassError, match=r"save\(\) on testapp.Article"):
        article.save()
    assert Article.objects.filter(pk=article.pk).exists()
    assert Comment.objects.count() == 2


def test_save_cannot_restore_around_the_cascade(thread):
    article, _comments, _reactions = thread
    article.delete()
    article.refresh_from_db()
    article.deleted_at = None
    with pytest.raises(SoftDeleteBypassError, match=r"save\(\)"):
        article.save()
    assert not Article.objects.exists()


def test_create_cannot_make_a_row_that_is_born_deleted():
    with pytest.raises(SoftDeleteBypassError, match=r"save\(\)"):
        Tag.objects.create(name="ghost", deleted_at=timezone.now())
    with pytest.raises(SoftDeleteBypassError, match=r"bulk_create\(\)"):
        Tag.objects.bulk_create([Tag(name="ghost", deleted_at=timezone.now())])
    assert Tag.all_objects.count() == 0


def test_restore_onto_a_taken_unique_value_names_the_field():
    gone = Slug.objects.create(name="spring")
    gone.delete()
    Slug.objects.create(name="spring")
    with pytest.raises(RestoreConflictError, match="name") as error, transaction.atomic():
        gone.restore()
    assert error.value.model is Slug
    assert error.value.fields == ("name",)
    assert Slug.deleted_objects.get().pk == gone.pk  # nothing half-restored
