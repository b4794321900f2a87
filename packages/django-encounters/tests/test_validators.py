"""Validators: the specification's twelve tests, then configuration errors and soft warnings."""

import pytest
from django.utils import timezone

from django_encounters import (
    FinalStateValidator,
    NoBackwardsTransitionValidator,
    RequiredFieldsValidator,
    StateValidator,
    ValidationError,
    ValidatorConfigurationError,
    get_validator_instance,
    transition,
)
from django_encounters.validators import as_warnings, load_validators
from tests.testapp import validators as test_validators

pytestmark = pytest.mark.django_db

ORDER = ["scheduled", "checked_in", "in_progress", "completed"]


def test_required_fields_validator_passes(encounter):
    encounter.started_at = timezone.now()
    validator = RequiredFieldsValidator({"in_progress": ["started_at"]})
    assert validator.validate(encounter, "checked_in", "in_progress") is None


def test_required_fields_validator_fails(encounter):
    validator = RequiredFieldsValidator({"in_progress": ["started_at"]})
    with pytest.raises(ValidationError, match="Field 'started_at' is required for state") as info:
        validator.validate(encounter, "checked_in", "in_progress")
    assert info.value.validator == "RequiredFieldsValidator"


def test_required_fields_validator_multiple(encounter):
    validator = RequiredFieldsValidator({"completed": ["started_at", "ended_at"]})
    encounter.started_at = timezone.now()
    with pytest.raises(ValidationError, match="'ended_at'"):
        validator.validate(encounter, "in_progress", "completed")
    encounter.ended_at = timezone.now()
    assert validator.validate(encounter, "in_progress", "completed") is None


def test_no_backwards_validator_allows_forward(encounter):
    validator = NoBackwardsTransitionValidator(ORDER)
    assert validator.validate(encounter, "scheduled", "in_progress") is None


def test_no_backwards_validator_blocks_backward(encounter):
    validator = NoBackwardsTransitionValidator(ORDER)
    with pytest.raises(ValidationError, match="backwards from 'in_progress' to 'checked_in'"):
        validator.validate(encounter, "in_progress", "checked_in")


def test_no_backwards_validator_unknown_state(encounter):
    validator = NoBackwardsTransitionValidator(ORDER)
    assert validator.validate(encounter, "in_progress", "cancelled") is None
    assert validator.validate(encounter, "elsewhere", "scheduled") is None


def test_final_state_validator_allows(encounter):
    assert FinalStateValidator().validate(encounter, "scheduled", "checked_in") is None


def test_final_state_validator_blocks(encounter):
    with pytest.raises(ValidationError, match="final state 'completed'"):
        FinalStateValidator().validate(encounter, "completed", "scheduled")


def test_get_validator_instance_simple():
    validator = get_validator_instance("django_encounters.validators.FinalStateValidator")
    assert isinstance(validator, FinalStateValidator)


def test_get_validator_instance_with_config():
    validator = get_validator_instance(
        "django_encounters.validators.NoBackwardsTransitionValidator", {"state_order": ORDER}
    )
    assert isinstance(validator, NoBackwardsTransitionValidator)
    assert validator.state_order == ORDER


def test_custom_validator_implementation(encounter):
    class OnlyWeekdays(StateValidator):
        def validate(self, encounter, from_state, to_state, context=None):
            if (context or {}).get("weekday") in ("sat", "sun"):
                raise ValidationError("OnlyWeekdays", "closed at the weekend")

    assert OnlyWeekdays().validate(encounter, "scheduled", "checked_in", {"weekday": "mon"}) is None
    with pytest.raises(ValidationError, match="closed at the weekend"):
        OnlyWeekdays().validate(encounter, "scheduled", "checked_in", {"weekday": "sun"})
    with pytest.raises(TypeError):
        StateValidator()  # abstract: validate() must be implemented


def test_validator_context_passed(definition, encounter):
    test_validators.SEEN.clear()
    definition.validators = ["tests.testapp.validators.RecordingValidator"]
    definition.save()
    transition(encounter, "checked_in", context={"desk": 4})
    assert [(encounter.pk, "scheduled", "checked_in", {"desk": 4})] == test_validators.SEEN


# -- configuration errors name the path ---------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "params", "expected"),
    [
        ("no_such_module.Validator", None, "cannot be imported"),
        ("django_encounters.validators.NoSuchValidator", None, "expected a StateValidator"),
        ("tests.testapp.validators.not_a_validator", {"x": 1}, "expected a StateValidator"),
        ("subprocess.Popen", {"args": ["true"]}, "expected a StateValidator"),
        ("django_encounters.validators.RequiredFieldsValidator", {"wrong": 1}, "do not fit"),
        ("django_encounters.validators.RequiredFieldsValidator", ["a"], "params must be a dict"),
        ("NoDots", None, "expected a dotted path"),
    ],
)
def test_bad_validator_configuration_names_the_path(path, params, expected):
    with pytest.raises(ValidatorConfigurationError, match=expected) as info:
        get_validator_instance(path, params)
    assert info.value.path == path
    assert repr(path) in str(info.value)


def test_bad_validator_entry_shape_is_refused():
    with pytest.raises(ValidatorConfigurationError, match="expected a dotted path or a dict"):
        load_validators([{"module": "x.Y"}])
    with pytest.raises(ValidatorConfigurationError, match="must be a list"):
        load_validators("x.Y")


def test_validator_returning_garbage_is_a_configuration_error():
    with pytest.raises(ValidatorConfigurationError, match="returned 42") as info:
        as_warnings(42, "tests.testapp.validators.BadReturnValidator")
    assert info.value.path == "tests.testapp.validators.BadReturnValidator"


def test_warnings_are_normalised():
    assert as_warnings(None, "p") == []
    assert as_warnings("careful", "p") == ["careful"]
    assert as_warnings(("a", "b"), "p") == ["a", "b"]


def test_a_hard_block_is_transition_blocked_error_and_the_old_name_is_the_same_class(encounter):
    import django.core.exceptions

    import django_encounters
    from django_encounters import exceptions

    assert django_encounters.TransitionBlockedError is exceptions.TransitionBlockedError
    assert django_encounters.ValidationError is exceptions.TransitionBlockedError
    assert exceptions.ValidationError is exceptions.TransitionBlockedError
    assert not issubclass(exceptions.TransitionBlockedError, django.core.exceptions.ValidationError)
    assert issubclass(exceptions.TransitionBlockedError, exceptions.EncounterError)
    validator = RequiredFieldsValidator({"in_progress": ["started_at"]})
    with pytest.raises(exceptions.TransitionBlockedError) as info:
        validator.validate(encounter, "checked_in", "in_progress")
    assert type(info.value).__name__ == "TransitionBlockedError"
    assert str(info.value) == (
        "Validation failed (RequiredFieldsValidator): "
        "Field 'started_at' is required for state 'in_progress'"
    )


def test_the_old_name_imports_without_a_warning(recwarn):
    from django_encounters import ValidationError as old_name  # noqa: F401
    from django_encounters.exceptions import ValidationError as old_too  # noqa: F401

    assert [str(warning.message) for warning in recwarn] == []
