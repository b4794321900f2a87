"""System checks of django-audit-log (ids ``audit_log.E001`` ...)."""

from __future__ import annotations

import datetime
import ipaddress
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

from django_audit_log import conf

_MIDDLEWARE = "django_audit_log.middleware.AuditContextMiddleware"


@register(Tags.security)
def check_trusted_proxies(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    proxies = conf.get("AUDIT_LOG_TRUSTED_PROXIES")
    if isinstance(proxies, str) or not isinstance(proxies, (list, tuple, set, frozenset)):
        return [
            Error(
                f"AUDIT_LOG_TRUSTED_PROXIES is {proxies!r}; expected a list of IPs or networks.",
                hint='For example AUDIT_LOG_TRUSTED_PROXIES = ["10.0.0.0/8"].',
                id="audit_log.E001",
            )
        ]
    for entry in proxies:
        try:
            ipaddress.ip_network(str(entry), strict=False)
        except ValueError:
            errors.append(
                Error(
                    f"AUDIT_LOG_TRUSTED_PROXIES contains {entry!r}, which is not an IP address "
                    "or network.",
                    hint='Use addresses like "10.0.0.1" or networks like "10.0.0.0/8".',
                    id="audit_log.E001",
                )
            )
    return errors


@register()
def check_redact_keys(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    keys = conf.get("AUDIT_LOG_REDACT_KEYS")
    if isinstance(keys, str) or not all(isinstance(key, str) and key for key in keys):
        return [
            Error(
                f"AUDIT_LOG_REDACT_KEYS is {keys!r}; expected a list of non-empty strings.",
                hint='For example AUDIT_LOG_REDACT_KEYS = ["password", "token", "iban"].',
                id="audit_log.E002",
            )
        ]
    return []


@register()
def check_tracked_models(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from django_audit_log.models import Sensitivity
    from django_audit_log.tracking import AuditTrackedModel

    errors: list[CheckMessage] = []
    for model in apps.get_models():
        if not issubclass(model, AuditTrackedModel):
            continue
        known = {field.name for field in model._meta.concrete_fields}
        named = set(model.audit_fields or ()) | set(model.audit_exclude)
        for name in sorted(named - known):
            errors.append(
                Error(
                    f"{model._meta.label}.audit_fields/audit_exclude names {name!r}, which is "
                    "not a concrete field of the model.",
                    hint=f"Use names among: {', '.join(sorted(known))}.",
                    obj=model,
                    id="audit_log.E003",
                )
            )
        if model.audit_sensitivity not in Sensitivity.values:
            errors.append(
                Error(
                    f"{model._meta.label}.audit_sensitivity is {model.audit_sensitivity!r}; "
                    f"expected one of {list(Sensitivity.values)}.",
                    hint='Set audit_sensitivity = "normal", "high" or "critical".',
                    obj=model,
                    id="audit_log.E004",
                )
            )
    return errors


@register()
def check_middleware(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if _MIDDLEWARE in getattr(settings, "MIDDLEWARE", []):
        return []
    return [
        Warning(
            "AuditContextMiddleware is not in MIDDLEWARE: entries written during requests will "
            "have no IP address, user agent, request id or automatic actor.",
            hint=f'Add "{_MIDDLEWARE}" to MIDDLEWARE, after AuthenticationMiddleware.',
            id="audit_log.W001",
        )
    ]


@register(Tags.security)
def check_seal_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from django_audit_log.exceptions import SealError
    from django_audit_log.stamps import key_bytes

    errors: list[CheckMessage] = []
    named = [("AUDIT_LOG_SEAL_KEY", conf.get("AUDIT_LOG_SEAL_KEY"))]
    old = conf.get("AUDIT_LOG_SEAL_OLD_KEYS")
    if isinstance(old, (list, tuple)):
        named += [("AUDIT_LOG_SEAL_OLD_KEYS", key) for key in old]
    else:
        errors.append(
            Error(
                f"AUDIT_LOG_SEAL_OLD_KEYS is {type(old).__name__}; expected a list of keys.",
                hint='For example AUDIT_LOG_SEAL_OLD_KEYS = [os.environ["OLD_AUDIT_KEY"]].',
                id="audit_log.E005",
            )
        )
    for setting, key in named:
        if key is None and setting == "AUDIT_LOG_SEAL_KEY":
            continue  # tamper evidence is off
        try:
            key_bytes(key, setting)
        except SealError as error:
            errors.append(
                Error(
                    str(error),
                    hint="Generate one with: python -c 'import secrets; "
                    "print(secrets.token_urlsafe(48))' and keep it with your other secrets.",
                    id="audit_log.E005",
                )
            )
    lookback = conf.get("AUDIT_LOG_SEAL_LOOKBACK")
    if not isinstance(lookback, datetime.timedelta) or lookback < datetime.timedelta(0):
        errors.append(
            Error(
                f"AUDIT_LOG_SEAL_LOOKBACK is {lookback!r}; expected a positive timedelta.",
                hint="For example AUDIT_LOG_SEAL_LOOKBACK = datetime.timedelta(hours=1).",
                id="audit_log.E006",
            )
        )
    return errors


@register(Tags.admin)
def check_admin_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """The admin's limits are positive integers and its extra actions a list of names."""
    errors: list[CheckMessage] = []
    for name in ("AUDIT_LOG_ADMIN_COUNT_LIMIT", "AUDIT_LOG_ADMIN_SEARCH_WINDOW"):
        value = conf.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            errors.append(
                Error(
                    f"{name} is {value!r}; expected a positive integer.",
                    hint=f"For example {name} = 10_000.",
                    id="audit_log.E007",
                )
            )
    actions = conf.get("AUDIT_LOG_ADMIN_ACTIONS")
    if (
        isinstance(actions, str)
        or not isinstance(actions, (list, tuple, set, frozenset))
        or not all(isinstance(action, str) and action for action in actions)
    ):
        errors.append(
            Error(
                f"AUDIT_LOG_ADMIN_ACTIONS is {actions!r}; expected a list of action names.",
                hint='For example AUDIT_LOG_ADMIN_ACTIONS = ["invoice.sent", "login"].',
                id="audit_log.E007",
            )
        )
    return errors
