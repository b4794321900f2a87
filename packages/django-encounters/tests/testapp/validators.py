"""Validators used only by the tests."""

from django_encounters.exceptions import ValidationError
from django_encounters.validators import StateValidator

SEEN: list = []


class RecordingValidator(StateValidator):
    """Records every call, so tests can see what validators receive."""

    def validate(self, encounter, from_state, to_state, context=None):
        SEEN.append((encounter.pk, from_state, to_state, context))


class ChecklistValidator(StateValidator):
    """Warns (soft) when the checklist is incomplete; blocks (hard) when it is missing."""

    def __init__(self, required=("photos",)):
        self.required = list(required)

    def validate(self, encounter, from_state, to_state, context=None):
        checklist = (context or {}).get("checklist")
        if checklist is None:
            raise ValidationError("ChecklistValidator", "a checklist is required")
        return [
            f"checklist item {item!r} not ticked" for item in self.required if item not in checklist
        ]


class BadReturnValidator(StateValidator):
    def validate(self, encounter, from_state, to_state, context=None):
        return 42


def not_a_validator(**kwargs):
    raise AssertionError("must never be called")


class ReminderValidator(StateValidator):
    """Never blocks; warns on every move (a soft warning the admin must show)."""

    def validate(self, encounter, from_state, to_state, context=None):
        return [f"remember to tell the owner about {to_state!r}"]
