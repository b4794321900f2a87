from django.apps import AppConfig


class BenchPgConfig(AppConfig):
    """Bench-only models of the PostgreSQL-only peers (installed only on PostgreSQL)."""

    name = "benchpg"
    label = "benchpg"
    default_auto_field = "django.db.models.BigAutoField"
