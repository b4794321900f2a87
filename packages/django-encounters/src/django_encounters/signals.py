"""Signals for hosts (e.g. to write an audit log). Both are sent only after the transaction
that created or moved the encounter commits; a rolled-back change sends nothing.

``encounter_created``: ``sender=Encounter``, ``encounter``.
``encounter_transitioned``: ``sender=Encounter``, ``encounter``, ``transition`` (the
``EncounterTransition``), ``from_state``, ``to_state``.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.dispatch import Signal

encounter_created = Signal()
encounter_transitioned = Signal()


def send_after_commit(signal: Signal, using: str, **kwargs: Any) -> None:
    """Send ``signal`` once the transaction on ``using`` commits (never if it rolls back)."""
    sender = type(kwargs["encounter"])
    transaction.on_commit(lambda: signal.send(sender=sender, **kwargs), using=using)
