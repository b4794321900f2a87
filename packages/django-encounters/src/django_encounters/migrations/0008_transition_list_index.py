"""Index ``encounters_transitioned_idx`` (transitioned_at, id): the admin's transition list,
newest first over every encounter (``ORDER BY transitioned_at DESC, id DESC``), reads a page
as a range of it instead of sorting the whole table."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("django_encounters", "0007_uniqueness_enforced_on_mariadb")]

    operations = [
        migrations.AddIndex(
            model_name="encountertransition",
            index=models.Index(
                fields=["transitioned_at", "id"], name="encounters_transitioned_idx"
            ),
        ),
    ]
