from django.apps import AppConfig


class ModulesConfig(AppConfig):
    name = "django_modules"
    label = "django_modules"
    verbose_name = "Modules"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from django_modules import checks  # noqa: F401  (registers the system checks)
        from django_modules.models import Module, OrgModuleState
        from django_modules.tracking import on_hard_delete

        # Hard deletes (instance.hard_delete(), QuerySet.hard_delete(), an organization's cascade)
        # run through Django's collector, which announces each row with post_delete.
        for model in (Module, OrgModuleState):
            post_delete.connect(on_hard_delete, sender=model, dispatch_uid=f"modules-{model}")
