"""Signals sent when a module or an organization's override is toggled, for hosts to audit.

Both are sent inside the transaction that made the change, after it was written, by every write
path: the services, ``Model.save()``/``delete()``, the admin, ``QuerySet.update()``/``delete()``,
``bulk_create``/``bulk_update`` and Django's cascades.

``module_toggled(sender=Module, module, active, previous)``
    ``active`` is the new global default, ``None`` when the module was deleted; ``previous`` is
    the old one, ``None`` when the module was just created.

``org_module_toggled(sender=OrgModuleState, org, module, enabled, previous)``
    ``enabled`` is the organization's new override, ``None`` when the override was removed (the
    module's default applies again); ``previous`` is the old override, ``None`` when there was none.
"""

from django.dispatch import Signal

module_toggled = Signal()
org_module_toggled = Signal()
