from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="DeletionRecord",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("operation", models.UUIDField(db_index=True, editable=False)),
                ("model", models.CharField(editable=False, max_length=255)),
                ("object_id", models.CharField(editable=False, max_length=255)),
            ],
            options={
                "indexes": [
                    models.Index(fields=["model", "object_id"], name="basemodels_record_row")
                ],
            },
        ),
    ]
