"""django-basemodels: UUIDv7 keys, timestamps, soft delete that cascades and restores exactly."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clinic.models import ServiceRecord, Vehicle
from django_basemodels.exceptions import BaseModelsError


def run(ctx) -> None:
    ctx.say("The host's Vehicle and ServiceRecord (vehicle -> Vehicle, CASCADE) are BaseModels.")
    van = Vehicle.objects.create(registration="LN-301-C", make="Ford Transit")
    ctx.say(f"Vehicle {van}: id {van.pk} (UUID version {van.pk.version}, time-ordered).")
    for text in ("Oil change", "New tyres"):
        ServiceRecord.objects.create(vehicle=van, description=text)
    brakes = ServiceRecord.objects.create(vehicle=van, description="Brake pads")
    ctx.say(f"Created at {van.created_at:%H:%M:%S} with three service records.")

    an_hour_ago = timezone.now() - timedelta(hours=1)
    ServiceRecord.objects.filter(pk=brakes.pk).soft_delete_at(an_hour_ago)
    ctx.say(f"'{brakes}' was soft-deleted on its own an hour ago.")

    total, counts = van.delete()
    ctx.say(f"van.delete() -> ({total}, {counts}): the van and its live records, one moment.")
    records = ServiceRecord.all_objects.filter(vehicle_id=van.pk)
    for manager in ("objects", "all_objects", "deleted_objects"):
        names = sorted(str(r) for r in getattr(ServiceRecord, manager).filter(vehicle_id=van.pk))
        ctx.say(f"  ServiceRecord.{manager}: {', '.join(names) or 'none'}")

    van.restore()
    alive = sorted(str(record) for record in van.service_records.all())
    ctx.say(f"van.restore() brings back exactly what that delete took: {', '.join(alive)}.")
    ctx.say(f"'{brakes}' stays deleted: it went on its own, earlier.")

    with CaptureQueriesContext(connection) as queries:
        total, counts = Vehicle.objects.filter(pk=van.pk).delete()
    ctx.say(
        f"A queryset delete of {total} row(s) and its cascade: {len(queries)} queries, {counts}."
    )

    try:
        records.update(deleted_at=None)
    except BaseModelsError as error:
        ctx.say(f"Bypassing restore with update() is refused: {error}")

    van.hard_delete()
    ctx.say(f"van.hard_delete() removes the rows for real: {records.count()} records left.")
