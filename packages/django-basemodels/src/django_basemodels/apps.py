from django.apps import AppConfig


class BaseModelsConfig(AppConfig):
    name = "django_basemodels"
    label = "django_basemodels"
    verbose_name = "Base models"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django_basemodels import checks  # noqa: F401  (registers the system checks)
