from django.apps import AppConfig


class WorkLogConfig(AppConfig):
    name = "django_worklog"
    label = "django_worklog"
    verbose_name = "Work log"

    def ready(self) -> None:
        from django_worklog import checks  # noqa: F401  (registers the system checks)
