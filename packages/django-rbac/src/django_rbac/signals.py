"""Signals for a host to audit role changes.

``role_assigned(sender=UserRole, user_role, user, role, assigned_by)`` after ``assign_role``
creates an assignment; ``role_revoked(sender=UserRole, user_role, user, role, revoked_by)`` after
``revoke_role``. Both are sent inside the service's transaction: a receiver that raises rolls the
change back.
"""

from django.dispatch import Signal

role_assigned = Signal()
role_revoked = Signal()
