from django.apps import AppConfig


class EncountersConfig(AppConfig):
    name = "django_encounters"
    label = "django_encounters"
    verbose_name = "Encounters"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django_encounters import checks  # noqa: F401  (registers the system checks)
