"""Fixtures of the django-basemodels suite."""

from __future__ import annotations

import pytest

from tests.testapp.models import Article, Comment, Reaction


@pytest.fixture
def thread():
    """An article with two comments, the first with two reactions: three cascading levels."""
    article = Article.objects.create(title="thread")
    first = Comment.objects.create(article=article, body="first")
    second = Comment.objects.create(article=article, body="second")
    reactions = [Reaction.objects.create(comment=first) for _ in range(2)]
    return article, [first, second], reactions
