"""The definition form: each fault of the graph is shown next to the field that fixes it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from django_encounters.admin.fields import StateListField, TransitionsField
from django_encounters.exceptions import ValidatorConfigurationError
from django_encounters.graph import graph_problems_by_field
from django_encounters.models import EncounterDefinition
from django_encounters.validators import load_validators

if TYPE_CHECKING:  # generic for type checkers only
    DefinitionFormBase = forms.ModelForm[EncounterDefinition]
else:
    DefinitionFormBase = forms.ModelForm

GRAPH_FIELDS = ("states", "initial_state", "final_states", "transitions")


class EncounterDefinitionForm(DefinitionFormBase):
    states = StateListField()
    final_states = StateListField(required=False, help_text="One final state per line.")
    transitions = TransitionsField(required=False)

    class Meta:
        model = EncounterDefinition
        fields = ("name", "code", "description", *GRAPH_FIELDS, "validators", "metadata")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if all(name in cleaned for name in GRAPH_FIELDS):  # each field could be read
            graph = [cleaned[name] for name in GRAPH_FIELDS]
            for field, message in graph_problems_by_field(*graph):
                self.add_error(field, message)
        validators = cleaned.get("validators") or []
        if not isinstance(validators, list):
            self.add_error("validators", f"{validators!r} is not a list; expected a JSON list")
            validators = []
        for entry in validators:
            try:
                load_validators([entry])
            except ValidatorConfigurationError as error:
                self.add_error("validators", str(error))
        return cleaned

    def add_error(self, field: str | None, error: Any) -> None:
        """The model's ``clean()`` repeats the faults for the whole form: keep only new ones."""
        if field is None and isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            shown = {message for messages in self.errors.values() for message in messages}
            fresh = [
                m for m in error.error_dict.get(NON_FIELD_ERRORS, []) if m.message not in shown
            ]
            others = {
                key: value for key, value in error.error_dict.items() if key != NON_FIELD_ERRORS
            }
            if fresh:
                others[NON_FIELD_ERRORS] = fresh
            if not others:
                return
            error = ValidationError(others)
        super().add_error(field, error)
