"""Turning any Django signal into audit entries, so that other packages never import this one.

The package sends no signals of its own. A host wires signals to the log in one call each::

    from django_audit_log import connect_signal
    from billing.signals import invoice_sent     # a signal of any package or app

    connect_signal(invoice_sent, "invoice.sent", obj_arg="invoice", actor_arg="user")
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.dispatch import Signal

from django_audit_log.exceptions import InvalidArgumentError, InvalidSensitivityError
from django_audit_log.services import log

_IGNORED = {"signal", "sender"}
# The action names wired so far (string actions only), offered by the admin's action filter.
_connected_actions: set[str] = set()


def connected_actions() -> frozenset[str]:
    """The actions that ``connect_signal()`` was given as strings, in this process."""
    return frozenset(_connected_actions)


def connect_signal(
    signal: Signal,
    action: str | Callable[..., str],
    *,
    sender: Any = None,
    obj_arg: str | None = "instance",
    actor_arg: str | None = None,
    metadata_args: tuple[str, ...] | None = None,
    sensitivity: str = "normal",
    dispatch_uid: str | None = None,
) -> Callable[..., Any]:
    """Write one entry each time ``signal`` is sent; returns the connected receiver.

    ``action`` is a string or ``callable(sender, **kwargs) -> str``. The target is the signal's
    ``obj_arg`` argument (when present), the actor its ``actor_arg`` argument (else the current
    context). The other arguments (or only ``metadata_args``) become the entry's metadata, made
    JSON-safe and redacted like any metadata.
    """
    _check_arguments(signal, action, obj_arg, actor_arg, metadata_args, sensitivity)

    def receiver(sender: Any, **kwargs: Any) -> None:
        obj = kwargs.get(obj_arg) if obj_arg else None
        actor = kwargs.get(actor_arg) if actor_arg else None
        used = {obj_arg, actor_arg} | _IGNORED
        names = metadata_args if metadata_args is not None else kwargs.keys()
        metadata = {name: kwargs[name] for name in names if name in kwargs and name not in used}
        name = action(sender, **kwargs) if callable(action) else action
        log(name, obj=obj, actor=actor, metadata=metadata, sensitivity=sensitivity)

    signal.connect(receiver, sender=sender, weak=False, dispatch_uid=dispatch_uid)
    if isinstance(action, str):
        _connected_actions.add(action)
    return receiver


def _check_arguments(
    signal: Any,
    action: Any,
    obj_arg: Any,
    actor_arg: Any,
    metadata_args: Any,
    sensitivity: Any,
) -> None:
    """Refuse a wiring mistake when it is made, not when the signal is first sent."""
    if not isinstance(signal, Signal):
        raise InvalidArgumentError("signal", signal, "a django.dispatch.Signal")
    if not callable(action) and not (isinstance(action, str) and action):
        raise InvalidArgumentError("action", action, "a non-empty string or a callable")
    for name, value in (("obj_arg", obj_arg), ("actor_arg", actor_arg)):
        if value is not None and not isinstance(value, str):
            raise InvalidArgumentError(name, value, "the name of a signal argument, or None")
    if metadata_args is not None and (
        isinstance(metadata_args, str)
        or not isinstance(metadata_args, (tuple, list))
        or not all(isinstance(name, str) for name in metadata_args)
    ):
        raise InvalidArgumentError(
            "metadata_args", metadata_args, "a tuple of signal argument names, or None"
        )
    if sensitivity not in ("normal", "high", "critical"):
        raise InvalidSensitivityError(sensitivity, ["normal", "high", "critical"])
