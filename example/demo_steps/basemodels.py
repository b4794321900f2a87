"""django-basemodels: UUIDv7 keys, timestamps, soft delete that cascades and restores exactly."""

from __future__ import annotations

from datetime import timedelta

from django.apps.registry import Apps
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from django_basemodels.exceptions import BaseModelsError
from django_basemodels.models import BaseModel

# The step's two models live in an app registry of their own and in tables it creates and drops,
# so the host's apps and migrations never see them.
_registry = Apps(["django_basemodels"])


class Owner(BaseModel):
    name = models.CharField(max_length=50)

    class Meta:
        app_label = "django_basemodels"
        apps = _registry
        db_table = "basemodels_demo_owner"


class Pet(BaseModel):
    owner = models.ForeignKey(Owner, on_delete=models.CASCADE, related_name="pets")
    name = models.CharField(max_length=50)

    class Meta:
        app_label = "django_basemodels"
        apps = _registry
        db_table = "basemodels_demo_pet"


def run(ctx) -> None:
    with connection.schema_editor() as editor:
        editor.create_model(Owner)
        editor.create_model(Pet)
    try:
        _story(ctx)
    finally:
        with connection.schema_editor() as editor:
            editor.delete_model(Pet)
            editor.delete_model(Owner)


def _story(ctx) -> None:
    ctx.say("Two demo models: Owner and Pet(owner -> Owner, on_delete=CASCADE), both BaseModel.")
    owner = Owner.objects.create(name="Ada")
    ctx.say(f"Owner {owner.name}: id {owner.pk} (UUID version {owner.pk.version}, time-ordered).")
    rex, tom, kit = (Pet.objects.create(owner=owner, name=n) for n in ("Rex", "Tom", "Kit"))
    ctx.say(f"Created at {owner.created_at:%H:%M:%S}; pets: {rex.name}, {tom.name}, {kit.name}.")

    earlier = timezone.now() - timedelta(hours=1)
    Pet.objects.filter(pk=kit.pk).soft_delete_at(earlier)
    ctx.say(f"{kit.name} was soft-deleted on its own an hour ago.")

    total, counts = owner.delete()
    ctx.say(f"owner.delete() -> ({total}, {counts}): the owner and its live pets, one moment.")
    for manager in ("objects", "all_objects", "deleted_objects"):
        names = sorted(pet.name for pet in getattr(Pet, manager).all())
        ctx.say(f"  Pet.{manager}: {', '.join(names) or 'none'}")

    owner.restore()
    alive = sorted(pet.name for pet in owner.pets.all())
    ctx.say(f"owner.restore() brings back what that delete took: {', '.join(alive)}.")
    ctx.say(f"{kit.name} stays deleted (its own delete): {Pet.deleted_objects.get().name}.")

    Owner.objects.bulk_create([Owner(name=f"owner {i}") for i in range(200)])
    with CaptureQueriesContext(connection) as queries:
        total, counts = Owner.objects.all().delete()
    updates = [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    ctx.say(f"Soft-deleting {total} rows of a queryset: {len(updates)} UPDATEs, {counts}.")

    try:
        Pet.all_objects.update(deleted_at=None)
    except BaseModelsError as error:
        ctx.say(f"update(deleted_at=None) is refused ({type(error).__name__}): {error}")

    owner.hard_delete()
    ctx.say(f"owner.hard_delete() removes the rows: {Pet.all_objects.count()} pets left.")
