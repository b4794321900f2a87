"""Concrete models used only by the tests."""

from django.db import models

from django_basemodels.models import BaseModel, SoftDeleteModel, UUIDModel


class Article(BaseModel):
    title = models.CharField(max_length=100)


class Comment(BaseModel):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments")
    body = models.CharField(max_length=100, default="")


class Tag(SoftDeleteModel):
    """Soft delete without timestamps: deleting must not assume ``updated_at`` exists."""

    name = models.CharField(max_length=50)


class Token(UUIDModel):
    label = models.CharField(max_length=50)
