"""The cascade plan (django_basemodels.cascade)."""

from __future__ import annotations

from django.db import models
from django.test.utils import isolate_apps

from django_basemodels.cascade import cascade_keys, plan_for, reached_models
from django_basemodels.models import SoftDeleteModel
from tests.testapp.models import Article, Category, Comment, Reaction, Tag


def plan_models(model):
    return [[(step.model, step.keys) for step in group.steps] for group in plan_for(model)]


def test_plan_walks_cascade_keys_parents_first():
    assert plan_models(Article) == [
        [(Comment, (Comment._meta.get_field("article"),))],
        [(Reaction, (Reaction._meta.get_field("comment"),))],
    ]
    assert reached_models(Article) == [Article, Comment, Reaction]


def test_set_null_and_plain_models_are_not_followed():
    # Note (SET_NULL) and Attachment (not soft-deletable) both point at Article.
    assert cascade_keys(Article) == [Comment._meta.get_field("article")]


def test_a_model_without_children_has_an_empty_plan():
    assert plan_for(Tag) == ()
    assert plan_for(Reaction) == ()


def test_a_self_reference_is_a_repeated_group():
    (group,) = plan_for(Category)
    assert group.repeat
    assert [step.model for step in group.steps] == [Category]
    assert group.steps[0].keys == (Category._meta.get_field("parent"),)


def test_plans_from_different_roots_share_one_order():
    # Comment comes before Reaction whether the delete starts at Article or at Comment, so
    # concurrent operations lock models in the same order.
    assert [group.steps[0].model for group in plan_for(Comment)] == [Reaction]
    assert [group.repeat for group in plan_for(Article)] == [False, False]


def test_a_model_reached_twice_is_written_once_after_both_parents():
    with isolate_apps("tests.testapp"):

        class Shop(SoftDeleteModel):
            class Meta:
                app_label = "testapp"

        class Shelf(SoftDeleteModel):
            shop = models.ForeignKey(Shop, on_delete=models.CASCADE)

            class Meta:
                app_label = "testapp"

        class Item(SoftDeleteModel):
            shop = models.ForeignKey(Shop, on_delete=models.CASCADE)
            shelf = models.ForeignKey(Shelf, on_delete=models.CASCADE)

            class Meta:
                app_label = "testapp"

        groups = plan_for(Shop)
        assert [[step.model for step in group.steps] for group in groups] == [[Shelf], [Item]]
        assert {key.name for key in groups[1].steps[0].keys} == {"shop", "shelf"}


def test_two_models_reaching_each_other_form_one_repeated_group():
    with isolate_apps("tests.testapp"):

        class Left(SoftDeleteModel):
            right = models.ForeignKey("Right", on_delete=models.CASCADE, null=True)

            class Meta:
                app_label = "testapp"

        class Right(SoftDeleteModel):
            left = models.ForeignKey(Left, on_delete=models.CASCADE, null=True)

            class Meta:
                app_label = "testapp"

        (group,) = plan_for(Left)
        assert group.repeat
        assert [step.model for step in group.steps] == [Left, Right]
