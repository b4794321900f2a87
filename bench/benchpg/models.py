"""The audit-log six-field model, tracked by django-pghistory's triggers (integer and UUID keys)."""

import pghistory
from benchapp.models import Fields

from django_basemodels import UUIDModel


@pghistory.track()
class PghistoryItem(Fields):
    pass


@pghistory.track()
class PghistoryUuidItem(UUIDModel, Fields):
    pass
