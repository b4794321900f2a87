from django.contrib import admin

from django_basemodels.admin import BoundedCountPaginator, SoftDeleteAdmin
from tests.testapp.models import Article, Comment, Token


@admin.register(Article)
class ArticleAdmin(SoftDeleteAdmin):
    list_display = ["title"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """A plain admin: its "delete selected" must soft-delete too."""


class TokenPaginator(BoundedCountPaginator):
    count_limit = 3


@admin.register(Token)
class TokenAdmin(admin.ModelAdmin):
    """A list counted up to a bound; its pagination.html extends django-basemodels' template."""

    ordering = ["label"]
    paginator = TokenPaginator
    show_full_result_count = False
    list_per_page = 2
