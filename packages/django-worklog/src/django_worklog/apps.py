from django.apps import AppConfig


class WorkLogConfig(AppConfig):
    name = "django_worklog"
    label = "django_worklog"
    verbose_name = "Work log"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django_worklog import checks  # noqa: F401  (registers the system checks)
