from django.apps import AppConfig


class BaseModelsConfig(AppConfig):
    name = "django_basemodels"
    label = "django_basemodels"
    verbose_name = "Base models"

    def ready(self) -> None:
        from django_basemodels import checks  # noqa: F401  (registers the system checks)
