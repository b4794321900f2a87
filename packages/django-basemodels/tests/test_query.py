"""SoftDeleteQuerySet, GuardedQuerySet and the managers (django_basemodels.query)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F, Q

from django_basemodels.exceptions import (
    BaseModelsError,
    BulkWriteError,
    ManagerRowsError,
    RestoreConflictError,
    SoftDeleteBypassError,
)
from django_basemodels.query import (
    AllObjectsManager,
    DeletedObjectsManager,
    SoftDeleteManager,
    SoftDeleteQuerySet,
    soft_delete_queryset_for,
)
from tests.testapp.models import (
    Article,
    Book,
    BookQuerySet,
    Comment,
    Note,
    Reaction,
    Shelf,
    ShelfFullError,
    ShelfQuerySet,
    Tag,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def thousand_threads():
    """1,000 articles, each with a comment that has a reaction."""
    articles = Article.objects.bulk_create([Article(title=str(i)) for i in range(1000)])
    comments = Comment.objects.bulk_create([Comment(article=a) for a in articles])
    Reaction.objects.bulk_create([Reaction(comment=c) for c in comments])
    return articles


def test_queryset_delete_without_cascade_is_one_update_and_one_insert(django_assert_num_queries):
    Tag.objects.bulk_create([Tag(name=str(i)) for i in range(1000)])
    with django_assert_num_queries(2):  # the UPDATE, and the INSERT of the operation's records
        assert Tag.objects.all().delete() == (1000, {"testapp.Tag": 1000})
    assert Tag.objects.count() == 0
    assert Tag.all_objects.filter(name="1").restore() == 1
    assert Tag.objects.count() == 1


def test_queryset_delete_of_1000_rows_is_one_query_per_model_plus_one(
    thousand_threads, django_assert_num_queries
):
    with django_assert_num_queries(4):  # articles, comments, reactions; the records
        total, counts = Article.objects.all().delete()
    assert counts == {"testapp.Article": 1000, "testapp.Comment": 1000, "testapp.Reaction": 1000}
    assert total == 3000
    assert Reaction.objects.count() == 0


def test_queryset_restore_of_1000_rows_has_a_fixed_budget(
    thousand_threads, django_assert_num_queries
):
    Article.objects.all().delete()
    # Mark the batch top-down (one UPDATE per model), read what came back and drop its records
    # (one SELECT, one DELETE), then clear the marks (one UPDATE per model).
    with django_assert_num_queries(8):
        assert Article.deleted_objects.all().restore() == 1000
    assert Reaction.objects.count() == 1000


def test_managers_split_rows_by_deletion():
    alive, gone = Article.objects.create(title="alive"), Article.objects.create(title="gone")
    gone.delete()
    assert list(Article.objects.all()) == [alive]
    assert set(Article.all_objects.all()) == {alive, gone}
    assert list(Article.deleted_objects.all()) == [gone]
    assert list(Article.all_objects.alive()) == [alive]
    assert list(Article.all_objects.dead()) == [gone]


def test_every_manager_is_built_on_the_soft_delete_queryset():
    for manager in (Article.objects, Article.all_objects, Article.deleted_objects):
        assert isinstance(manager.all(), SoftDeleteQuerySet)


def test_chained_restore_through_all_objects():
    gone = Article.objects.create(title="gone")
    gone.delete()
    assert Article.all_objects.filter(title="gone").restore() == 1
    assert Article.objects.get() == gone


def test_restore_through_objects_finds_nothing_to_restore():
    Article.objects.create(title="gone").delete()
    assert Article.objects.all().restore() == 0
    assert Article.objects.count() == 0


def test_own_queryset_class_keeps_soft_delete():
    draft = Book.objects.create(title="draft")
    published = Book.objects.create(title="out", published=True)
    gone = Book.objects.create(title="gone", published=True)
    assert Book.objects.all().filter(pk=gone.pk).delete() == (1, {"testapp.Book": 1})
    assert list(Book.objects.published()) == [published]
    assert set(Book.objects.all()) == {draft, published}
    assert Book.all_objects.filter(pk=gone.pk).exists()  # soft, not removed
    assert isinstance(Book.objects.all(), BookQuerySet)
    assert isinstance(Book.objects.all(), SoftDeleteQuerySet)


def test_from_queryset_combines_a_plain_queryset_class():
    manager_class = SoftDeleteManager.from_queryset(BookQuerySet)
    assert issubclass(manager_class, SoftDeleteManager)
    assert issubclass(manager_class._queryset_class, SoftDeleteQuerySet)
    assert issubclass(manager_class._queryset_class, BookQuerySet)
    assert soft_delete_queryset_for(SoftDeleteQuerySet) is SoftDeleteQuerySet


def test_update_of_deleted_at_is_refused():
    article = Article.objects.create(title="x")
    with pytest.raises(SoftDeleteBypassError, match=r"update\(\) on testapp.Article") as error:
        Article.objects.filter(pk=article.pk).update(deleted_at=None)
    assert isinstance(error.value, BaseModelsError)
    assert error.value.model is Article
    assert Article.objects.filter(pk=article.pk).update(title="y") == 1


def test_bulk_update_of_deleted_at_is_refused():
    article = Article.objects.create(title="x")
    with pytest.raises(SoftDeleteBypassError, match=r"bulk_update\(\)"):
        Article.objects.bulk_update([article], ["deleted_at"])
    article.title = "y"
    assert Article.objects.bulk_update([article], ["title"]) == 1


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Tag.objects.all()[:1], "limit"),
        (lambda: Tag.objects.values("name"), "values"),
    ],
)
def test_delete_and_restore_refuse_what_django_refuses(build, message):
    Tag.objects.create(name="a")
    with pytest.raises(TypeError, match=message):
        build().delete()
    with pytest.raises(TypeError, match=message):
        build().restore()
    assert Tag.objects.count() == 1


def test_hard_delete_removes_rows_and_their_children(thread):
    article, comments, _reactions = thread
    comments[1].delete()  # soft-deleted children go too
    total, counts = Article.objects.filter(pk=article.pk).hard_delete()
    assert counts == {"testapp.Article": 1, "testapp.Comment": 2, "testapp.Reaction": 2}
    assert total == 5
    assert Comment.all_objects.count() == 0


def test_querysets_filtered_across_nullable_relations_delete_and_restore():
    # The lock subquery then has an outer join; only the model's own rows may be locked.
    article = Article.objects.create(title="x")
    notes = [Note.objects.create(article=article), Note.objects.create(article=None)]
    Note.objects.create(article=Article.objects.create(title="other"))
    rows = Note.all_objects.filter(Q(article__isnull=True) | Q(article__title="x"))
    assert rows.delete() == (2, {"testapp.Note": 2})
    assert Article.objects.count() == 2  # the joined table is read, not written
    assert set(Note.deleted_objects.all()) == set(notes)
    assert rows.restore() == 2
    assert Note.deleted_objects.count() == 0


# One manager class over a package's QuerySet gives the three managers (rows=).


def test_one_manager_class_gives_the_three_managers():
    wide, gone = Shelf.objects.create(code="a", capacity=20), Shelf.objects.create(code="b")
    gone.delete()
    assert type(Shelf.objects) is type(Shelf.all_objects) is type(Shelf.deleted_objects)
    assert list(Shelf.objects.all()) == [wide]
    assert set(Shelf.all_objects.all()) == {wide, gone}
    assert list(Shelf.deleted_objects.all()) == [gone]
    # The package's own methods chain on every one of them, and delete() stays soft.
    assert list(Shelf.all_objects.wide()) == [wide]
    assert not Shelf.deleted_objects.wide().exists()
    Shelf.objects.wide().delete()
    assert Shelf.deleted_objects.count() == 2
    assert Shelf._default_manager is Shelf.objects
    assert Shelf._base_manager is Shelf.all_objects


@pytest.mark.parametrize("rows", ["deleted", "", "Alive", 1])
def test_rows_other_than_alive_all_dead_is_refused(rows):
    with pytest.raises(ManagerRowsError, match=r"expected one of alive, all, dead") as error:
        SoftDeleteManager(rows=rows)
    assert error.value.rows == rows
    assert isinstance(error.value, BaseModelsError)


def test_the_named_managers_are_the_rows_presets():
    assert SoftDeleteManager().rows == "alive"
    assert AllObjectsManager().rows == "all"
    assert DeletedObjectsManager().rows == "dead"
    assert DeletedObjectsManager(rows="all").rows == "all"


# GuardedQuerySet: what the database refuses becomes the package's error, nothing written.


@pytest.fixture
def shelves():
    return [Shelf.objects.create(code="a", capacity=1), Shelf.objects.create(code="b")]


def test_update_refused_by_a_check_constraint_is_a_bulk_write_error(shelves):
    with pytest.raises(BulkWriteError, match=r"bulk write of Shelf \(capacity\) was refused"):
        Shelf.objects.update(capacity=F("capacity") - 1)
    assert sorted(Shelf.objects.values_list("capacity", flat=True)) == [0, 1]


def test_bulk_write_error_says_what_refused_the_write():
    by_rule = BulkWriteError(Shelf, ["code", "capacity"], "codes are fixed")
    assert str(by_rule) == (
        "bulk write of Shelf (capacity, code) was refused: codes are fixed; expected rows that "
        "keep every constraint of Shelf"
    )
    assert by_rule.error == "codes are fixed"
    by_database = BulkWriteError(Shelf, [], IntegrityError("duplicate"))
    assert "(new rows) was refused by the database: duplicate;" in str(by_database)


def test_bulk_create_refused_by_a_unique_constraint_writes_nothing(shelves):
    with pytest.raises(BulkWriteError, match=r"\(new rows\)") as error:
        Shelf.objects.bulk_create([Shelf(code="c"), Shelf(code="a")])
    assert error.value.model is Shelf
    assert error.value.fields == []
    assert isinstance(error.value.error, IntegrityError)
    assert Shelf.all_objects.count() == 2


def test_bulk_update_refused_by_the_database_writes_nothing(shelves):
    first, second = shelves
    first.capacity, second.code = 5, "a"
    with pytest.raises(BulkWriteError) as error:
        Shelf.objects.bulk_update((shelf for shelf in shelves), ("capacity", "code"))
    assert error.value.fields == ["capacity", "code"]
    assert sorted(Shelf.objects.values_list("code", "capacity")) == [("a", 1), ("b", 0)]


def test_restore_that_meets_a_live_value_is_a_bulk_write_error(shelves):
    shelves[0].delete()
    Shelf.objects.create(code="a")
    with pytest.raises(BulkWriteError, match=r"\(deleted_at\)") as error:
        Shelf.deleted_objects.restore()
    assert isinstance(error.value.error, RestoreConflictError)
    assert Shelf.deleted_objects.count() == 1


def test_the_hooks_refuse_before_any_query(shelves, django_assert_num_queries):
    with django_assert_num_queries(0):
        with pytest.raises(ShelfFullError, match=r"row refused-in-python None"):
            Shelf.objects.bulk_create([Shelf(code="refused-in-python")])
        shelves[0].code = "refused-in-python"
        with pytest.raises(ShelfFullError, match=r"row refused-in-python \['code'\]"):
            Shelf.objects.bulk_update(shelves, ["code"])
        with pytest.raises(ShelfFullError, match=r"update \['code'\]"):
            Shelf.objects.update(code="refused-in-python")


def test_a_refused_write_leaves_the_callers_transaction_usable(shelves):
    with transaction.atomic():
        with pytest.raises(BulkWriteError):
            Shelf.objects.update(capacity=-1)
        # The savepoint was rolled back, not the transaction (PostgreSQL would refuse this).
        assert Shelf.objects.filter(capacity__gte=0).update(capacity=3) == 2
    assert set(Shelf.objects.values_list("capacity", flat=True)) == {3}


def test_a_package_names_its_own_error():
    class PackageError(Exception):
        def __init__(self, model, fields, error):
            super().__init__(model, fields, error)

    class PackageShelfQuerySet(ShelfQuerySet):
        write_error = PackageError

    Shelf.objects.create(code="a")
    queryset = PackageShelfQuerySet(model=Shelf).filter(code="a")
    with pytest.raises(PackageError) as error:
        queryset.update(capacity=-2)
    assert error.value.args[:2] == (Shelf, ["capacity"])
