from django.apps import AppConfig


class SingletonConfig(AppConfig):
    name = "django_singleton"
    label = "django_singleton"
    verbose_name = "Singletons"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django_singleton import checks  # noqa: F401  (registers the system checks)
