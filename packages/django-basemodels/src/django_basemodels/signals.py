"""Signals django-basemodels sends, once per operation (never once per row).

``post_soft_delete(sender=model, moment, counts, using)``: rows of ``sender`` were soft-deleted;
``counts`` maps each written model's label to its row count (the cascade included).
``post_restore(sender=model, counts, using)``: rows came back, with what their delete took.

Both are sent inside the operation's transaction, after its UPDATEs.
"""

from django.dispatch import Signal

post_soft_delete = Signal()
post_restore = Signal()
