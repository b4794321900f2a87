"""django-singleton: one-row settings tables, read with get_instance(), never deleted."""

from __future__ import annotations

from django.apps import apps
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from django_singleton.exceptions import SingletonDeletionError, SingletonError
from django_singleton.models import SingletonModel


def run(ctx) -> None:
    # The host's singletons (such as the catalog's settings) are found, not imported: this step
    # knows only django-singleton.
    models = [m for m in apps.get_models() if issubclass(m, SingletonModel)]
    ctx.say(f"Singleton models installed: {', '.join(m._meta.label for m in models) or 'none'}.")
    for model in models:
        try:
            row = model.get_instance()
        except SingletonError as error:
            ctx.say(f"{model._meta.label}: {error}")
            continue
        ctx.say(f"{model._meta.label}.get_instance() -> the one row, pk={row.pk}.")
        row.pk = 42
        row.save()
        ctx.say(f"  Saved with pk=42, it was written as pk={row.pk}: every save is the one row.")
        with CaptureQueriesContext(connection) as plain:
            model.get_instance()
        with override_settings(SINGLETON_CACHE="default"):  # a host sets this in its settings
            model.get_instance()  # fills the cache
            with CaptureQueriesContext(connection) as cached:
                model.get_instance()
        ctx.say(f"  get_instance(): {len(plain)} query; with SINGLETON_CACHE, {len(cached)}.")
        try:
            row.delete()
        except SingletonDeletionError as error:
            ctx.say(f"  delete() refused: {error}")
        ctx.say(f"  Rows in the table: {model.objects.count()}.")
