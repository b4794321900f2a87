"""Concrete models used only by the tests.

The cascade graph: Article -> Comment -> Reaction (three soft-deletable levels), Article -> Note
through SET_NULL (not cascaded), Article -> Attachment (not soft-deletable: left alone), Category
-> Category (a self-reference: a cycle), Warehouse -> Bin -> Parcel plus Warehouse -> Parcel (a
diamond: Parcel is reached along two paths), Ping -> Pong -> Ping (two models forming one cycle),
Book with its own QuerySet class; Shelf with a GuardedQuerySet and its three managers from one
manager class.
"""

from django.db import models

from django_basemodels.constraints import ConditionalUniqueConstraint
from django_basemodels.models import BaseModel, SoftDeleteModel, UUIDModel
from django_basemodels.query import GuardedQuerySet, SoftDeleteManager


class Article(BaseModel):
    title = models.CharField(max_length=100)


class Comment(BaseModel):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments")
    body = models.CharField(max_length=100, default="")


class Reaction(SoftDeleteModel):
    """Soft delete without timestamps, two levels below Article."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reactions")
    emoji = models.CharField(max_length=8, default="+1")


class Note(BaseModel):
    article = models.ForeignKey(Article, on_delete=models.SET_NULL, null=True, related_name="notes")


class Attachment(models.Model):
    """Not soft-deletable: a soft-deleted article keeps it (the article row still exists)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="attachments")

    def __str__(self) -> str:
        return f"attachment {self.pk}"


class Category(BaseModel):
    name = models.CharField(max_length=50)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )


class Tag(SoftDeleteModel):
    """Soft delete without timestamps: deleting must not assume ``updated_at`` exists."""

    name = models.CharField(max_length=50)


class Warehouse(SoftDeleteModel):
    name = models.CharField(max_length=50)


class Bin(SoftDeleteModel):
    warehouse = models.ForeignKey(Warehouse, on_delete=models.CASCADE, related_name="bins")


class Parcel(SoftDeleteModel):
    """Stored in a warehouse, on a bin that may belong to another warehouse."""

    warehouse = models.ForeignKey(Warehouse, on_delete=models.CASCADE, related_name="parcels")
    bin = models.ForeignKey(Bin, on_delete=models.CASCADE, related_name="parcels")


class Ping(SoftDeleteModel):
    pong = models.ForeignKey("Pong", on_delete=models.CASCADE, null=True, related_name="pings")


class Pong(SoftDeleteModel):
    ping = models.ForeignKey(Ping, on_delete=models.CASCADE, null=True, related_name="pongs")


class Token(UUIDModel):
    label = models.CharField(max_length=50)


class BookQuerySet(models.QuerySet):
    """A package's own QuerySet class that knows nothing of soft delete."""

    def published(self):
        return self.filter(published=True)


class Book(BaseModel):
    title = models.CharField(max_length=100)
    published = models.BooleanField(default=False)

    objects = SoftDeleteManager.from_queryset(BookQuerySet)()


class Clerk(models.Model):
    name = models.CharField(max_length=50)

    def __str__(self) -> str:
        return self.name


class LedgerLine(models.Model):
    """Made append-only by the tests of ``django_basemodels.migration_ops.AppendOnly``."""

    clerk = models.ForeignKey(Clerk, on_delete=models.SET_NULL, null=True, related_name="+")
    approver = models.ForeignKey(Clerk, on_delete=models.SET_NULL, null=True, related_name="+")
    booked_by = models.ForeignKey(Clerk, on_delete=models.PROTECT, related_name="+")
    amount = models.IntegerField()
    booked_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.amount} booked at {self.booked_at}"


class Slug(SoftDeleteModel):
    """Unique among live rows only: a restore can meet a value a live row has taken since."""

    name = models.CharField(max_length=50)

    class Meta:
        constraints = [
            ConditionalUniqueConstraint(
                fields=["name"],
                condition=models.Q(deleted_at__isnull=True),
                name="testapp_slug_live_name",
            )
        ]


class ShelfFullError(Exception):
    """What ShelfQuerySet's hooks raise, before anything is written."""


class ShelfQuerySet(GuardedQuerySet["Shelf"]):
    def check_row(self, obj, fields):
        if obj.code == "refused-in-python":
            raise ShelfFullError(f"row {obj.code} {fields}")

    def check_update(self, values):
        if values.get("code") == "refused-in-python":
            raise ShelfFullError(f"update {sorted(values)}")

    def wide(self):
        return self.filter(capacity__gte=10)


ShelfManager = SoftDeleteManager.from_queryset(ShelfQuerySet)


class Shelf(SoftDeleteModel):
    """A code unique among live shelves and a capacity the database keeps at zero or more."""

    code = models.CharField(max_length=20)
    capacity = models.IntegerField(default=0)

    objects = ShelfManager()
    all_objects = ShelfManager(rows="all")
    deleted_objects = ShelfManager(rows="dead")

    class Meta:
        base_manager_name = "all_objects"
        constraints = [
            ConditionalUniqueConstraint(
                fields=["code"],
                condition=models.Q(deleted_at__isnull=True),
                name="testapp_shelf_live_code",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__gte=0), name="testapp_shelf_capacity_not_negative"
            ),
        ]
