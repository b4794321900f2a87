"""``AuditContextMiddleware``: puts the request's actor, IP, user agent and id in context."""

from __future__ import annotations

from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction

from django_audit_log import conf, request_info
from django_audit_log.context import AuditContext, current_context, enter, leave


class AuditContextMiddleware:
    """Sync and async. The user is read lazily, when an entry is written, so the middleware may
    sit anywhere in ``MIDDLEWARE`` (after ``AuthenticationMiddleware`` is the natural place).
    The request id is taken from ``X-Request-ID`` when sane, else generated; it is stored on
    ``request.audit_request_id`` and echoed on the response.
    """

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request: Any) -> Any:
        if self.is_async:
            return self.__acall__(request)
        token = enter(self._context_for(request))
        try:
            response = self.get_response(request)
        finally:
            leave(token)
        return self._echo(request, response)

    async def __acall__(self, request: Any) -> Any:
        token = enter(self._context_for(request))
        try:
            response = await self.get_response(request)
        finally:
            leave(token)
        return self._echo(request, response)

    @staticmethod
    def _context_for(request: Any) -> AuditContext:
        meta = request.META
        request.audit_request_id = request_info.request_id_of(meta)
        outer = current_context()
        return AuditContext(
            request=request,
            ip_address=request_info.client_ip(meta),
            user_agent=request_info.user_agent_of(meta),
            request_id=request.audit_request_id,
            extra=dict(outer.extra) if outer is not None else {},
        )

    @staticmethod
    def _echo(request: Any, response: Any) -> Any:
        response[conf.get("AUDIT_LOG_REQUEST_ID_HEADER")] = request.audit_request_id
        return response
