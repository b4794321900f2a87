"""The typed method markers (django_basemodels.markers) set what Django reads."""

from __future__ import annotations

from django.db import models

from django_basemodels.markers import alters_data, queryset_only
from django_basemodels.query import SoftDeleteManager, SoftDeleteQuerySet
from tests.testapp.models import Article


def test_markers_set_the_attributes_django_reads_and_return_the_same_function():
    def write() -> None: ...

    assert alters_data(write) is write
    assert queryset_only(write) is write
    assert write.__dict__ == {"alters_data": True, "queryset_only": True}


def test_a_queryset_only_method_is_not_copied_onto_managers():
    class MarkedQuerySet(models.QuerySet):
        @alters_data
        @queryset_only
        def purge(self) -> None: ...

        @alters_data
        def touch(self) -> None: ...

    manager_class = models.Manager.from_queryset(MarkedQuerySet)
    assert not hasattr(manager_class, "purge")
    assert manager_class.touch.alters_data is True


def test_the_soft_delete_querysets_writes_are_marked():
    for name in ["delete", "soft_delete_at", "restore", "hard_delete", "update", "bulk_create"]:
        assert getattr(SoftDeleteQuerySet, name).alters_data is True, name
    # Manager.delete() and hard_delete() do not exist, as Django has no Manager.delete().
    assert not hasattr(SoftDeleteManager, "delete")
    assert not hasattr(Article.objects, "hard_delete")
    for name in ["save", "delete", "restore", "hard_delete"]:
        assert getattr(Article, name).alters_data is True, name
