"""The audit-log six-field model once more, tracked by django-pghistory's triggers."""

import pghistory
from benchapp.models import Fields


@pghistory.track()
class PghistoryItem(Fields):
    pass
