from django.apps import AppConfig


class ModulesConfig(AppConfig):
    name = "django_modules"
    label = "django_modules"
    verbose_name = "Modules"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from django_basemodels.signals import post_restore, post_soft_delete
        from django_modules import checks  # noqa: F401  (registers the system checks)
        from django_modules.models import Module, OrgModuleState
        from django_modules.tracking import (
            on_cascaded_restore,
            on_cascaded_soft_delete,
            on_hard_delete,
        )

        # Hard deletes (instance.hard_delete(), QuerySet.hard_delete(), an organization's cascade)
        # run through Django's collector, which announces each row with post_delete.
        for model in (Module, OrgModuleState):
            uid = f"django_modules:hard-delete:{model._meta.label}"
            post_delete.connect(on_hard_delete, sender=model, dispatch_uid=uid)
        # Soft deletes and restores that start at another model (an organization) and cascade to
        # the overrides are announced once per operation by django-basemodels.
        post_soft_delete.connect(on_cascaded_soft_delete, dispatch_uid="django_modules:soft-delete")
        post_restore.connect(on_cascaded_restore, dispatch_uid="django_modules:restore")
