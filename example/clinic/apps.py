from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "clinic"
    label = "clinic"
    verbose_name = "Clinic (example host app)"

    def ready(self) -> None:
        from clinic import audit_wiring

        audit_wiring.connect()
