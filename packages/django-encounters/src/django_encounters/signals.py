"""Signals for hosts (e.g. to write an audit log).

Each is sent inside the transaction of the operation, after its rows are written, as every
package of the repository sends its signals: a receiver sees the rows as written, a receiver that
raises rolls the operation back, and a receiver's own writes commit or roll back with it. A
receiver that must act only once the change is committed (an e-mail, a task) wraps its work in
``transaction.on_commit()``.

``encounter_created``: ``sender=Encounter``, ``encounter``.
``encounter_transitioned``: ``sender=Encounter``, ``encounter``, ``transition`` (the
``EncounterTransition``), ``from_state``, ``to_state``.
"""

from django.dispatch import Signal

encounter_created = Signal()
encounter_transitioned = Signal()
