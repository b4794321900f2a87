from django.contrib import admin

from django_basemodels.admin import SoftDeleteAdmin
from tests.testapp.models import Article, Comment


@admin.register(Article)
class ArticleAdmin(SoftDeleteAdmin):
    list_display = ["title"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """A plain admin: its "delete selected" must soft-delete too."""
