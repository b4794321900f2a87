"""Signals sent by django-catalog, for hosts to wire to audit trails, notifications and so on.

Each is sent inside the transaction of the operation, after its rows are written: a receiver that
raises rolls the operation back, and a receiver's own writes commit with it.
"""

from django.dispatch import Signal

# sender=Basket; basket, work_items (list), user. Sent once per basket, by the call that
# committed it (never by an idempotent repeat).
basket_committed = Signal()

# sender=Basket; basket, user.
basket_cancelled = Signal()

# sender=WorkItem; work_item, old_status, new_status, user.
work_item_status_changed = Signal()

# sender=DispenseLog; dispense_log, work_item, user.
item_dispensed = Signal()
