"""Soft delete and restore racing in 16 real threads on PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from primitives_testkit import run_concurrently
from tests.testapp.models import Article, Comment, Reaction

pytestmark = [pytest.mark.server_database, pytest.mark.django_db(transaction=True)]

ROUNDS = 4  # operations per thread, so that deletes and restores interleave many times


@pytest.fixture
def forum():
    """Eight articles, three comments each with two reactions; one comment deleted on its own."""
    articles = Article.objects.bulk_create([Article(title=f"a{i}") for i in range(8)])
    comments = Comment.objects.bulk_create(
        [Comment(article=article, body=str(n)) for article in articles for n in range(3)]
    )
    Reaction.objects.bulk_create([Reaction(comment=c) for c in comments for _ in range(2)])
    loner = comments[0]
    earlier = timezone.now() - timedelta(days=1)
    Comment.objects.filter(pk=loner.pk).soft_delete_at(earlier)
    return [article.pk for article in articles], comments, loner, earlier


def assert_children_follow(parent, children):
    """Alive parent: alive children. Deleted parent: children deleted with the same moment."""
    for child in children:
        assert child.deleted_at == parent.deleted_at, (parent, child)


def test_16_threads_deleting_and_restoring_the_same_rows_leave_no_half_cascade(forum):
    ids, _comments, loner, earlier = forum

    def delete_or_restore(index: int) -> tuple[int, int]:
        deleted = restored = 0
        for round_ in range(ROUNDS):
            rows = Article.all_objects.filter(pk__in=ids)
            if (index + round_) % 2:
                deleted += rows.delete()[0]
            else:
                restored += rows.restore()
        return deleted, restored

    run = run_concurrently(delete_or_restore, threads=16)
    assert run.errors == []
    # The race did happen: batches were both taken and given back while threads competed.
    assert sum(deleted for deleted, _ in run.results) > 0
    assert sum(restored for _, restored in run.results) > 0
    assert Comment.all_objects.get(pk=loner.pk).deleted_at == earlier  # never taken by a batch
    assert Reaction.all_objects.filter(comment=loner, deleted_at=earlier).count() == 2
    for article in Article.all_objects.filter(pk__in=ids):
        comments = list(Comment.all_objects.filter(article=article).exclude(pk=loner.pk))
        assert len(comments) in (2, 3)
        assert_children_follow(article, comments)
        for comment in comments:
            assert_children_follow(comment, Reaction.all_objects.filter(comment=comment))


def test_operations_starting_at_different_levels_do_not_deadlock(forum):
    ids, comments, loner, _earlier = forum
    comment_ids = [comment.pk for comment in comments if comment.pk != loner.pk]

    def mixed(index: int) -> None:
        model, pks = (Article, ids) if index % 2 else (Comment, comment_ids)
        for round_ in range(ROUNDS):
            rows = model.all_objects.filter(pk__in=pks)
            if (index // 2 + round_) % 2:
                rows.delete()
            else:
                rows.restore()

    run = run_concurrently(mixed, threads=16)
    assert run.errors == []
    for comment in Comment.all_objects.filter(pk__in=comment_ids):
        assert_children_follow(comment, Reaction.all_objects.filter(comment=comment))


def test_16_threads_deleting_one_row_stamp_it_once(thread):
    article, _comments, _reactions = thread

    def delete(index: int) -> int:
        return Article.all_objects.filter(pk=article.pk).delete()[0]

    run = run_concurrently(delete, threads=16)
    assert run.errors == []
    assert sorted(run.results) == [0] * 15 + [5]  # one thread took the batch, whole
    moment = Article.all_objects.get(pk=article.pk).deleted_at
    assert set(Comment.all_objects.values_list("deleted_at", flat=True)) == {moment}
    assert set(Reaction.all_objects.values_list("deleted_at", flat=True)) == {moment}


def test_16_threads_deleting_at_one_moment_each_restore_exactly_their_own(forum):
    ids, comments, loner, earlier = forum
    moment = timezone.now()
    # Eight threads delete an article each; eight others, at once and with the very same
    # moment, each delete one comment of those articles on its own.
    own_comments = [c for c in comments if c.pk != loner.pk]
    targets = [(Article, pk) for pk in ids] + [
        (Comment, next(c.pk for c in own_comments if c.article_id == pk)) for pk in ids
    ]

    def delete(index: int) -> int:
        model, pk = targets[index]
        return model.objects.filter(pk=pk).soft_delete_at(moment)[0]

    deletes = run_concurrently(delete, threads=16)
    assert deletes.errors == []

    def restore(index: int) -> int:
        return Article.all_objects.filter(pk=targets[index][1]).restore()

    restores = run_concurrently(restore, threads=8)
    assert restores.errors == []
    assert restores.results == [1] * 8
    for index in range(8, 16):
        comment = Comment.all_objects.get(pk=targets[index][1])
        if deletes.results[index]:
            # That comment's own delete took it (and its reactions): it stays deleted.
            assert comment.deleted_at == moment
            assert Reaction.all_objects.filter(comment=comment, deleted_at=moment).count() == 2
        else:
            # The article's delete got there first and took it: it came back with the article.
            assert comment.deleted_at is None
            assert Reaction.objects.filter(comment=comment).count() == 2
    assert Comment.all_objects.get(pk=loner.pk).deleted_at == earlier
