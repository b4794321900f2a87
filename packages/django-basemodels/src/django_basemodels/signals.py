"""Signals django-basemodels sends, once per operation (never once per row).

``post_soft_delete(sender=model, moment, counts, using, operation)``: rows of ``sender`` were
soft-deleted; ``counts`` maps each written model's label to its row count (the cascade
included); ``operation`` is the delete's id (a UUID), under which every row it took is recorded.

``post_restore(sender=model, counts, using, keys, operations)``: rows came back, with what their
delete took; ``keys`` maps each written model's label to the primary keys of its restored rows,
``operations`` is the set of delete operation ids that were undone (rows deleted before
operations were recorded have none).

Both are sent inside the operation's transaction, after its writes.
"""

from django.dispatch import Signal

post_soft_delete = Signal()
post_restore = Signal()
