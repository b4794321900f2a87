"""Guards for views: ``requires_module`` (function views) and ``ModuleRequiredMixin`` (CBVs).

Both find the request's organization with ``org_from``: a callable ``(request, *args, **kwargs)``
or a dotted attribute path on the request (default: the ``MODULES_REQUEST_ORG_ATTRIBUTE`` setting,
``"organization"``). They fail closed: no organization, an unknown module or a disabled one all
answer 403 (``PermissionDenied``), and an unknown module is logged as an error because it is a
bug, not a decision.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from django_modules import conf
from django_modules.exceptions import InvalidArgumentError, ModuleDisabled, ModulesError

logger = logging.getLogger("django_modules")

OrgFrom = Callable[..., Any] | str | None
_View = TypeVar("_View", bound=Callable[..., Any])

if TYPE_CHECKING:  # the mixin is used on Django's class-based views: type it as one
    from django.views import View as _MixinBase
else:
    _MixinBase = object


def _check_org_from(org_from: Any) -> None:
    if org_from is not None and not callable(org_from) and not isinstance(org_from, str):
        raise InvalidArgumentError(
            "org_from", org_from, "None, a callable (request, *args, **kwargs) or a dotted path"
        )


def organization_for(
    request: HttpRequest, org_from: OrgFrom = None, *args: Any, **kwargs: Any
) -> Any:
    """The organization of ``request`` found through ``org_from``; ``None`` when there is none."""
    _check_org_from(org_from)
    if org_from is None:
        org_from = conf.get("MODULES_REQUEST_ORG_ATTRIBUTE")
    if callable(org_from):
        return org_from(request, *args, **kwargs)
    value: Any = request
    for name in org_from.split("."):
        value = getattr(value, name, None)
        if value is None:
            return None
    return value


def enforce(
    request: HttpRequest, key: str, org_from: OrgFrom = None, *args: Any, **kwargs: Any
) -> None:
    """Raise ``PermissionDenied`` unless module ``key`` is on for the request's organization."""
    from django_modules.services import require_module

    org = organization_for(request, org_from, *args, **kwargs)
    if org is None:
        raise PermissionDenied(f"module {key!r} needs an organization and the request has none")
    try:
        require_module(org, key)
    except ModuleDisabled:
        raise
    except ModulesError as error:
        logger.error("module guard denied access: %s", error)
        raise PermissionDenied(str(error)) from error


def requires_module(key: str, org_from: OrgFrom = None) -> Callable[[_View], _View]:
    """Decorate a view (sync or async) so that it only runs when module ``key`` is on.

    A key or ``org_from`` that can never work is refused here, when the module is imported, not
    at every request.
    """
    if not isinstance(key, str) or not key:
        raise InvalidArgumentError("key", key, "the key of a module (a non-empty string)")
    _check_org_from(org_from)

    def decorator(view: _View) -> _View:
        if iscoroutinefunction(view):

            async def async_wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
                await sync_to_async(enforce)(request, key, org_from, *args, **kwargs)
                return await view(request, *args, **kwargs)

            wrapper: _View = functools.wraps(view)(async_wrapper)  # type: ignore[assignment]
            return markcoroutinefunction(wrapper)

        @functools.wraps(view)
        def sync_wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            enforce(request, key, org_from, *args, **kwargs)
            return view(request, *args, **kwargs)

        return sync_wrapper  # type: ignore[return-value]

    return decorator


class ModuleRequiredMixin(_MixinBase):
    """Class-based views: set ``required_module`` (and ``module_org_from`` if needed).

    Override ``get_module_org()`` to find the organization some other way.
    """

    required_module: str | None = None
    module_org_from: OrgFrom = None

    def get_module_org(self) -> Any:
        return organization_for(self.request, self.module_org_from, *self.args, **self.kwargs)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        key = self.required_module
        if not key:
            raise PermissionDenied(f"{type(self).__name__}.required_module is not set")
        if getattr(self, "view_is_async", False):
            return self._async_dispatch(key, request, *args, **kwargs)
        self._enforce_module(key, request)
        return super().dispatch(request, *args, **kwargs)

    async def _async_dispatch(
        self, key: str, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> Any:
        await sync_to_async(self._enforce_module)(key, request)
        return await super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

    def _enforce_module(self, key: str, request: HttpRequest) -> None:
        enforce(request, key, lambda *_a, **_k: self.get_module_org())
