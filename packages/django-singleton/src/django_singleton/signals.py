"""Signals sent by django-singleton, for hosts to wire to an audit log or their own caches."""

from django.dispatch import Signal

# Sent after the row of a singleton model was written, by save() or QuerySet.update().
# Arguments: sender (the model), instance (None after QuerySet.update()), using (database alias).
singleton_changed = Signal()
