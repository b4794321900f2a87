"""ConditionalUniqueConstraint: Django's partial unique index where the database has one, an
invisible generated column under a unique index on MariaDB; refused duplicates on every database."""

from __future__ import annotations

import json

import pytest
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.forms import modelform_factory

from django_basemodels import ConditionalUniqueConstraint
from django_basemodels.constraints import uses_generated_column
from django_basemodels.exceptions import ConstraintDeclarationError, ExistingDuplicateError
from primitives_testkit import insert_by_raw_sql, refused_by_unique_constraint, run_concurrently
from tests.testapp.models import Slug

LIVE = models.Q(deleted_at__isnull=True)
CONSTRAINT_NAME = "testapp_slug_live_name"


def slug_constraint() -> ConditionalUniqueConstraint:
    (constraint,) = Slug._meta.constraints
    assert isinstance(constraint, ConditionalUniqueConstraint)
    return constraint


@pytest.mark.parametrize(
    ("fields", "condition", "named"),
    [
        ([], LIVE, "fields"),
        ("name", LIVE, "fields"),
        ([""], LIVE, "fields"),
        (["name"], None, "condition"),
        (["name"], models.Q(), "condition"),
        (["name"], "deleted_at IS NULL", "condition"),
    ],
)
def test_declaration_names_the_bad_value(fields, condition, named):
    with pytest.raises(ConstraintDeclarationError, match=f"{named} is .*; expected") as error:
        ConditionalUniqueConstraint(fields=fields, condition=condition, name="c")
    assert error.value.value == (fields if named == "fields" else condition)


def test_a_plain_unique_constraint_is_not_the_same_constraint():
    ours = ConditionalUniqueConstraint(fields=["name"], condition=LIVE, name="c")
    plain = models.UniqueConstraint(fields=["name"], condition=LIVE, name="c")
    assert ours != plain
    assert plain != ours
    assert ours == ConditionalUniqueConstraint(fields=["name"], condition=LIVE, name="c")


def test_migrations_write_it_with_its_own_path():
    path, args, kwargs = slug_constraint().deconstruct()
    assert path == "django_basemodels.constraints.ConditionalUniqueConstraint"
    assert args == ()
    assert kwargs == {"fields": ("name",), "condition": LIVE, "name": CONSTRAINT_NAME}
    assert slug_constraint().clone() == slug_constraint()


def test_the_database_refuses_a_live_duplicate_written_by_raw_sql(db):
    Slug.objects.create(name="spring")
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_by_raw_sql(Slug(name="spring"))
    assert Slug.all_objects.count() == 1


def test_bulk_create_and_update_meet_the_constraint_too(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Slug.objects.bulk_create([Slug(name="spring"), Slug(name="spring")])
    Slug.objects.bulk_create([Slug(name="spring"), Slug(name="summer")])
    with pytest.raises(IntegrityError), transaction.atomic():
        Slug.objects.filter(name="summer").update(name="spring")
    assert sorted(Slug.objects.values_list("name", flat=True)) == ["spring", "summer"]


def test_rows_that_do_not_count_never_collide(db):
    for _ in range(2):
        Slug.objects.create(name="spring").delete()
    with transaction.atomic():
        insert_by_raw_sql(Slug(name="spring"))
    assert Slug.all_objects.filter(name="spring").count() == 3
    assert Slug.objects.filter(name="spring").count() == 1


def test_validate_constraints_reports_a_live_duplicate(db):
    Slug.objects.create(name="spring")
    with pytest.raises(ValidationError, match=CONSTRAINT_NAME):
        Slug(name="spring").validate_constraints()
    Slug(name="summer").validate_constraints()


def test_the_generated_column_is_no_field(db):
    Slug.objects.create(name="spring")
    assert [field.name for field in Slug._meta.concrete_fields] == ["id", "deleted_at", "name"]
    assert list(modelform_factory(Slug, fields="__all__")().fields) == ["name"]
    assert set(Slug.objects.values().get()) == {"id", "deleted_at", "name"}
    (dumped,) = json.loads(serializers.serialize("json", Slug.objects.all()))
    assert set(dumped["fields"]) == {"deleted_at", "name"}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(Slug._meta.db_table)}")
        assert [column[0] for column in cursor.description] == ["id", "deleted_at", "name"]


def test_the_database_holds_the_index_this_vendor_gets(db):
    table = Slug._meta.db_table
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    index = constraints[CONSTRAINT_NAME]
    assert index["unique"]
    if uses_generated_column(connection):
        # The fields plus the flag column, named like the constraint.
        assert index["columns"] == ["name", CONSTRAINT_NAME]
        with connection.cursor() as cursor:
            cursor.execute(f"SHOW CREATE TABLE {table}")
            create = cursor.fetchone()[1]
        assert (
            f"`{CONSTRAINT_NAME}` tinyint(4) GENERATED ALWAYS AS "
            "(case when `deleted_at` is null then 1 end) STORED INVISIBLE"
        ) in create
    else:
        assert index["columns"] == ["name"]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT indexdef FROM pg_indexes WHERE indexname = %s", [CONSTRAINT_NAME]
                )
                (definition,) = cursor.fetchone()
            assert definition.endswith("(name) WHERE (deleted_at IS NULL)")


def test_no_django_warning_that_the_constraint_is_not_created(db):
    plain = models.UniqueConstraint(fields=["name"], condition=LIVE, name="plain")
    plain_ids = [message.id for message in plain._check(Slug, connection)]
    ours = [message.id for message in slug_constraint()._check(Slug, connection)]
    assert ours == []
    if uses_generated_column(connection):
        assert plain_ids == ["models.W036"]  # what the generated column is for
    else:
        assert plain_ids == []


def constraint_names() -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.get_constraints(cursor, Slug._meta.db_table))


@pytest.fixture
def without_the_constraint(transactional_db):
    """The Slug table without its constraint; the test schema gets it back whatever happens."""
    with connection.schema_editor() as editor:
        editor.remove_constraint(Slug, slug_constraint())
    yield slug_constraint()
    Slug.all_objects.all().hard_delete()
    if CONSTRAINT_NAME not in constraint_names():
        with connection.schema_editor() as editor:
            editor.add_constraint(Slug, slug_constraint())


def test_removing_and_adding_it_again_migrates_both_ways(without_the_constraint):
    constraint = without_the_constraint
    Slug.objects.create(name="spring")
    insert_by_raw_sql(Slug(name="spring"))  # nothing refuses it now
    Slug.objects.filter(name="spring").order_by("pk").first().hard_delete()
    with connection.schema_editor() as editor:
        editor.add_constraint(Slug, constraint)
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_by_raw_sql(Slug(name="spring"))


def test_adding_it_over_live_duplicates_fails_naming_them_and_changes_nothing(
    without_the_constraint,
):
    constraint = without_the_constraint
    for _ in range(2):
        insert_by_raw_sql(Slug(name="spring"))
    # PostgreSQL and SQLite refuse the index; MariaDB's own error would name a foreign key.
    with pytest.raises(IntegrityError) as error, connection.schema_editor() as editor:
        editor.add_constraint(Slug, constraint)
    if uses_generated_column(connection):
        assert isinstance(error.value, ExistingDuplicateError)
        assert error.value.values == {"name": "spring"}
        assert "2 rows" in str(error.value)
    with connection.cursor() as cursor:
        columns = connection.introspection.get_table_description(cursor, Slug._meta.db_table)
        assert CONSTRAINT_NAME not in [column.name for column in columns]
    assert CONSTRAINT_NAME not in constraint_names()
    Slug.objects.order_by("pk").first().hard_delete()
    with connection.schema_editor() as editor:
        editor.add_constraint(Slug, constraint)
    with refused_by_unique_constraint(Slug, CONSTRAINT_NAME):
        insert_by_raw_sql(Slug(name="spring"))


@pytest.mark.server_database
@pytest.mark.django_db(transaction=True)
def test_thirty_two_racing_inserts_leave_one_live_row():
    def create(_index: int) -> object:
        return Slug.objects.create(name="spring").pk

    run = run_concurrently(create, threads=32)
    assert len(run.results) == 1
    assert len(run.errors) == 31
    assert all(isinstance(error, IntegrityError) for error in run.errors), run.errors
    assert Slug.all_objects.filter(name="spring").count() == 1
