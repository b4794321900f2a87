from django.apps import AppConfig


class DocsExamplesConfig(AppConfig):
    name = "docs_examples"
    label = "docs_examples"
    verbose_name = "Docs examples"
    default_auto_field = "django.db.models.BigAutoField"
