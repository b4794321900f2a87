"""Checks of what callers hand to the services: bad input is refused before anything is written,
with ``InvalidArgumentError`` (or its subclass ``InvalidContextError``) naming the value."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone

from django_worklog.exceptions import InvalidArgumentError, InvalidContextError
from django_worklog.models import CONTEXT_ID_LENGTH, context_key


def _is_saved(instance: Any) -> bool:
    return instance.pk is not None and not instance._state.adding


def check_user(user: Any) -> None:
    user_model = get_user_model()
    if not isinstance(user, user_model) or not _is_saved(user):
        raise InvalidArgumentError("user", user, f"a saved {user_model._meta.label} instance")


def check_context(context: Any) -> str:
    """The context's key as stored in ``context_id``, once ``context`` is known to be a saved
    model instance (an unsaved one, even with a default UUID key, would leave a session
    pointing at nothing)."""
    if not isinstance(context, models.Model) or not _is_saved(context):
        raise InvalidContextError(context)
    key = context_key(context)
    if len(key) > CONTEXT_ID_LENGTH:
        raise InvalidContextError(
            context, f"a primary key of at most {CONTEXT_ID_LENGTH} characters as text"
        )
    return key


def check_metadata(metadata: Any) -> None:
    expected = "a dict of JSON values, or None"
    if metadata is None:
        return
    if not isinstance(metadata, dict):
        raise InvalidArgumentError("metadata", metadata, expected)
    try:
        json.dumps(metadata)
    except (TypeError, ValueError) as error:
        raise InvalidArgumentError("metadata", metadata, expected) from error


def check_period(start: Any, end: Any) -> None:
    for name, value in (("start", start), ("end", end)):
        if value is None:
            continue
        # Aware where the project keeps time zones (USE_TZ), naive where it does not.
        if not isinstance(value, datetime) or timezone.is_aware(value) != settings.USE_TZ:
            kind = "an aware" if settings.USE_TZ else "a naive"
            raise InvalidArgumentError(name, value, f"{kind} datetime or None")
