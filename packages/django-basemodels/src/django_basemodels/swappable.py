"""A setting that names a model, as ``AUTH_USER_MODEL`` does (``CATALOG_ENCOUNTER_MODEL``,
``MODULES_ORG_MODEL``): how two packages that must not import each other are linked.

Such a setting decides a foreign key, so it is read when the models are defined. When it is unset
or malformed the key points at a stand-in instead, so that Django still starts and the package's
system check can say what to set. Each package declares its setting once::

    ORG_MODEL = ModelSetting(
        "MODULES_ORG_MODEL",
        stand_in="django_modules.MODULES_ORG_MODEL_is_not_set",
        unset=SettingCheck("modules.E001", "{setting} is not set.", "Set it to ..."),
        malformed=SettingCheck("modules.E002", "{setting} is {value}; expected ...", "..."),
        not_installed=SettingCheck("modules.E003", "{setting} is {value}, which ...", "..."),
    )

and uses ``ORG_MODEL.label()`` for the foreign key, ``ORG_MODEL.get_model()`` at run time and
``ORG_MODEL.check()`` in its registered system check.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@dataclass(frozen=True)
class SettingCheck:
    """One problem's system check: its id, message and hint. ``{setting}`` is replaced by the
    setting's name and ``{value}`` by the repr of its value."""

    id: str
    message: str
    hint: str

    def error(self, setting: str, value: object) -> checks.Error:
        return checks.Error(
            self.message.format(setting=setting, value=repr(value)),
            hint=self.hint.format(setting=setting, value=repr(value)),
            id=self.id,
        )


@dataclass(frozen=True)
class ModelSetting:
    """A setting holding ``"app_label.ModelName"``, with the stand-in used while it is unset or
    malformed and the package's own check for each problem."""

    name: str
    stand_in: str
    unset: SettingCheck
    malformed: SettingCheck
    not_installed: SettingCheck

    def value(self) -> object:
        """The setting as it is now (``None`` when unset), read at call time."""
        return getattr(settings, self.name, None)

    def is_well_formed(self) -> bool:
        value = self.value()
        return isinstance(value, str) and value.count(".") == 1 and "" not in value.split(".")

    def label(self) -> str:
        """What the foreign key points at: the setting's value, or the stand-in when the value
        is unset or malformed."""
        value = self.value()
        return value if self.is_well_formed() and isinstance(value, str) else self.stand_in

    def problem(self) -> SettingCheck | None:
        """The check that the setting fails now (``None`` when it names an installed model).
        An empty string counts as unset."""
        if self.value() in (None, ""):
            return self.unset
        if not self.is_well_formed():
            return self.malformed
        try:
            model = apps.get_model(self.label(), require_ready=False)
        except LookupError:
            return self.not_installed
        return self.not_installed if model._meta.swapped else None

    def check(self) -> list[checks.CheckMessage]:
        """The package's system check error for the setting, or none."""
        problem = self.problem()
        return [] if problem is None else [problem.error(self.name, self.value())]

    def get_model(self) -> type[models.Model]:
        """The model the setting names; ``ImproperlyConfigured`` (with the check's message and
        hint) when there is none."""
        problem = self.problem()
        if problem is not None:
            error = problem.error(self.name, self.value())
            raise ImproperlyConfigured(f"{error.msg} {error.hint}")
        return apps.get_model(self.label(), require_ready=False)
