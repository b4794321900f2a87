"""Every error names the bad value and what was expected."""

from django_audit_log.exceptions import (
    AuditLogError,
    AuditLogImmutableError,
    InvalidActionError,
    InvalidActorError,
    InvalidSensitivityError,
    InvalidTargetError,
    RetentionError,
    TrackingError,
)
from tests.testapp.models import Invoice


def test_all_derive_from_the_package_error():
    for error in (
        AuditLogImmutableError("x"),
        InvalidActionError("", 100),
        InvalidActorError(3, "auth.User"),
        InvalidSensitivityError("s", ["normal"]),
        InvalidTargetError("t"),
        RetentionError("b"),
        TrackingError(Invoice, "op", "why"),
    ):
        assert isinstance(error, AuditLogError)


def test_messages_name_the_value_and_the_expectation():
    assert str(InvalidActionError("", 100)) == (
        "action '' is not valid; expected a non-empty string of at most 100 characters"
    )
    assert "sensitivity 'secret'" in str(InvalidSensitivityError("secret", ["normal", "high"]))
    assert "expected one of ['normal', 'high']" in str(
        InvalidSensitivityError("secret", ["normal", "high"])
    )
    assert "actor 3 is not valid; expected a saved auth.User" in str(
        InvalidActorError(3, "auth.User")
    )
    assert "obj 'Invoice 7' is not valid" in str(InvalidTargetError("Invoice 7"))
    assert "'2020-01-01' is not valid; expected a timezone-aware" in str(
        RetentionError("2020-01-01")
    )
    assert str(TrackingError(Invoice, "bulk_create()", "because")) == (
        "bulk_create() on tracked model testapp.Invoice refused: because"
    )


def test_immutable_error_carries_the_operation_and_entry():
    class Entry:
        pk = "0190"

    error = AuditLogImmutableError("delete()", Entry())
    assert error.operation == "delete()"
    assert error.entry.pk == "0190"
    assert str(error).startswith("delete() of entry 0190 refused: audit entries are append-only")
