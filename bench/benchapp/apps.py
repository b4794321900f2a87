from django.apps import AppConfig


class BenchAppConfig(AppConfig):
    name = "benchapp"
    label = "benchapp"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from benchapp.models import AuditlogItem

        auditlog.register(AuditlogItem)
