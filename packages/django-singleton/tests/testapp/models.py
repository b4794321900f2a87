"""Concrete models used only by the tests."""

from django.db import models

from django_singleton.models import SingletonModel


class Owner(models.Model):
    name = models.CharField(max_length=50)

    def __str__(self) -> str:
        return self.name


class SiteSettings(SingletonModel):
    """Declares its own Meta without inheriting: the pk=1 constraint must still be there."""

    site_name = models.CharField(max_length=100, default="Example")
    maintenance = models.BooleanField(default=False)
    owner = models.ForeignKey(Owner, null=True, blank=True, on_delete=models.CASCADE)

    class Meta:
        verbose_name = "site settings"


class ShopSettings(SingletonModel):
    """Inherits the abstract model's Meta, constraints included."""

    currency = models.CharField(max_length=3, default="EUR")
    opened_at = models.DateTimeField(null=True, blank=True)


class TaxSettings(SingletonModel):
    """A field without default: get_instance() cannot create the row by itself."""

    tax_rate = models.DecimalField(max_digits=5, decimal_places=2)


class LegacyTable(models.Model):
    """The same table as LegacySettings, without the constraint: lets tests plant rogue rows."""

    id = models.PositiveSmallIntegerField(primary_key=True)
    label = models.CharField(max_length=50, default="legacy")

    class Meta:
        db_table = "testapp_legacy"

    def __str__(self) -> str:
        return f"legacy row {self.pk}"


class LegacySettings(SingletonModel):
    """A singleton over a table created before the constraint existed."""

    label = models.CharField(max_length=50, default="legacy")

    class Meta:
        managed = False
        db_table = "testapp_legacy"


class ChosenBaseSettings(SingletonModel):
    """Names its own base manager: the package leaves that choice alone."""

    label = models.CharField(max_length=20, default="chosen")

    plain = models.Manager()

    class Meta:
        base_manager_name = "plain"
