from django.apps import AppConfig


class PartiesConfig(AppConfig):
    name = "django_parties"
    label = "django_parties"
    verbose_name = "Parties"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django_parties import checks  # noqa: F401  (registers the system checks)
