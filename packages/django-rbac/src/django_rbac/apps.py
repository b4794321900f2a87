from django.apps import AppConfig
from django.db.models.signals import post_migrate


class RBACConfig(AppConfig):
    name = "django_rbac"
    label = "django_rbac"
    verbose_name = "Roles and permissions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django_rbac import checks  # noqa: F401  (registers the system checks)
        from django_rbac.permissions import create_module_permissions

        post_migrate.connect(
            create_module_permissions, sender=self, dispatch_uid="django_rbac:module-permissions"
        )
