"""Signals sent by soft delete and restore (django_basemodels.signals)."""

from __future__ import annotations

import pytest
from django.db import transaction

from django_basemodels import signals
from tests.testapp.models import Article, Comment, Reaction

pytestmark = pytest.mark.django_db


def test_signals_are_sent_once_per_operation(thread):
    article, _comments, _reactions = thread
    seen = []

    def deleted(sender, moment, counts, using, **kwargs):
        seen.append(("deleted", sender, counts))

    def restored(sender, counts, using, **kwargs):
        seen.append(("restored", sender, counts))

    signals.post_soft_delete.connect(deleted)
    signals.post_restore.connect(restored)
    try:
        Article.objects.filter(pk=article.pk).delete()
        Article.all_objects.filter(pk=article.pk).restore()
    finally:
        signals.post_soft_delete.disconnect(deleted)
        signals.post_restore.disconnect(restored)
    expected = {"testapp.Article": 1, "testapp.Comment": 2, "testapp.Reaction": 2}
    assert seen == [("deleted", Article, expected), ("restored", Article, expected)]


def test_a_failing_receiver_rolls_the_whole_delete_back(thread):
    article, _comments, _reactions = thread

    def refuse(**kwargs):
        raise RuntimeError("no")

    signals.post_soft_delete.connect(refuse)
    try:
        with pytest.raises(RuntimeError), transaction.atomic():  # a savepoint, as a caller has
            Article.objects.filter(pk=article.pk).delete()
    finally:
        signals.post_soft_delete.disconnect(refuse)
    assert Comment.objects.count() == 2
    assert Reaction.objects.count() == 2


def test_signals_name_the_operation_and_the_restored_keys(thread):
    article, comments, reactions = thread
    seen = {}

    def deleted(sender, operation, **kwargs):
        seen["deleted"] = operation

    def restored(sender, keys, operations, **kwargs):
        seen["restored"] = (keys, operations)

    signals.post_soft_delete.connect(deleted)
    signals.post_restore.connect(restored)
    try:
        article.delete()
        article.restore()
    finally:
        signals.post_soft_delete.disconnect(deleted)
        signals.post_restore.disconnect(restored)
    keys, operations = seen["restored"]
    assert operations == {seen["deleted"]}
    assert {label: set(pks) for label, pks in keys.items()} == {
        "testapp.Article": {article.pk},
        "testapp.Comment": {c.pk for c in comments},
        "testapp.Reaction": {r.pk for r in reactions},
    }
    assert all(len(pks) == len(set(pks)) for pks in keys.values())
