"""The index for "one model (and action) in a time window": ``(target_content_type,
created_at)``. ``audit_log_target_time`` starts with the content type too, but ``target_id``
comes before the time, so a window over a whole model reads every entry of that model."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("django_audit_log", "0008_mariadb_append_only")]

    operations = [
        migrations.AddIndex(
            model_name="auditlog",
            index=models.Index(
                fields=["target_content_type", "created_at"], name="audit_log_model_time"
            ),
        ),
    ]
