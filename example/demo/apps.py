from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The narrated walk-through (`manage.py demo`), kept apart from the host's domain app."""

    name = "demo"
    label = "demo"
    verbose_name = "Demo"
