"""Admin support (django_basemodels.admin)."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Permission
from django.urls import reverse

from django_basemodels.admin import ReadOnlyAdminMixin
from tests.testapp.models import Article, Comment, Reaction

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:testapp_article_changelist"


@pytest.fixture
def articles():
    alive = Article.objects.create(title="alive one")
    gone = Article.objects.create(title="gone one")
    Comment.objects.create(article=gone)
    gone.delete()
    return alive, gone


def listed(response):
    return {row.title for row in response.context["cl"].result_list}


def run_action(client, url, action, rows):
    return client.post(
        url,
        {"action": action, ACTION_CHECKBOX_NAME: [str(row.pk) for row in rows], "post": "yes"},
        follow=True,
    )


def test_changelist_shows_alive_rows_by_default(admin_client, articles):
    response = admin_client.get(reverse(CHANGELIST))
    assert listed(response) == {"alive one"}
    assert "deleted_at" in response.context["cl"].list_display


@pytest.mark.parametrize(
    ("value", "titles"),
    [("yes", {"gone one"}), ("no", {"alive one"}), ("all", {"alive one", "gone one"})],
)
def test_deleted_filter(admin_client, articles, value, titles):
    assert listed(admin_client.get(reverse(CHANGELIST), {"deleted": value})) == titles


def test_deleted_row_can_be_opened(admin_client, articles):
    _alive, gone = articles
    url = reverse("admin:testapp_article_change", args=[gone.pk])
    assert admin_client.get(url).status_code == 200


def test_delete_selected_soft_deletes_with_cascade(admin_client, thread):
    article, _comments, _reactions = thread
    run_action(admin_client, reverse(CHANGELIST), "delete_selected", [article])
    assert Article.deleted_objects.get() == article
    assert Comment.objects.count() == 0
    assert Reaction.objects.count() == 0
    assert Reaction.all_objects.count() == 2


def test_delete_selected_in_a_plain_admin_soft_deletes(admin_client, thread):
    _article, comments, _reactions = thread
    url = reverse("admin:testapp_comment_changelist")
    run_action(admin_client, url, "delete_selected", [comments[0]])
    assert list(Comment.deleted_objects.all()) == [comments[0]]
    assert Reaction.objects.count() == 0


def test_restore_action_restores_the_batch(admin_client, articles):
    _alive, gone = articles
    response = run_action(
        admin_client, reverse(CHANGELIST) + "?deleted=yes", "restore_selected", [gone]
    )
    assert "Restored 1 row." in response.content.decode()
    assert Article.objects.count() == 2
    assert Comment.objects.get().article == gone


def test_hard_delete_action_removes_rows(admin_client, articles):
    _alive, gone = articles
    response = run_action(
        admin_client, reverse(CHANGELIST) + "?deleted=yes", "hard_delete_selected", [gone]
    )
    assert "Deleted 2 rows permanently." in response.content.decode()
    assert not Article.all_objects.filter(pk=gone.pk).exists()
    assert Comment.all_objects.count() == 0


def test_actions_follow_permissions(client, django_user_model, articles):
    editor = django_user_model.objects.create_user("editor", password="x", is_staff=True)
    editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_article", "change_article"])
    )
    client.force_login(editor)
    form = client.get(reverse(CHANGELIST)).context["action_form"]
    actions = [name for name, _label in form.fields["action"].choices]
    assert "restore_selected" in actions  # needs change
    assert "hard_delete_selected" not in actions  # needs delete
    assert "delete_selected" not in actions


class ReadOnlyReactionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


class ReadOnlyCommentInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Comment


def superuser_request(rf, django_user_model):
    request = rf.get("/")
    request.user = django_user_model.objects.create_superuser("root", "root@example.com", "pw")
    return request


def test_read_only_admin_refuses_every_write_even_to_a_superuser(rf, django_user_model):
    model_admin = ReadOnlyReactionAdmin(Reaction, admin.AdminSite(name="read_only"))
    request = superuser_request(rf, django_user_model)
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert not model_admin.has_delete_permission(request, Reaction())
    # Without add, change or delete permission, Django offers no action either.
    assert model_admin.get_actions(request) == {}


def test_read_only_inline_refuses_every_write(rf, django_user_model, articles):
    _alive, gone = articles
    inline = ReadOnlyCommentInline(Article, admin.AdminSite(name="read_only"))
    request = superuser_request(rf, django_user_model)
    assert inline.has_view_permission(request, gone)
    assert not inline.has_add_permission(request, gone)
    assert not inline.has_change_permission(request, gone)
    assert not inline.has_delete_permission(request, gone)
