"""``ModuleCacheMiddleware``: one module cache per request, sync or async."""

from __future__ import annotations

from asgiref.sync import iscoroutinefunction, markcoroutinefunction

from django_modules.cache import module_cache


class ModuleCacheMiddleware:
    """Open a module cache for the duration of each request."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        self.async_mode = iscoroutinefunction(get_response)
        if self.async_mode:
            markcoroutinefunction(self)

    def __call__(self, request):
        if self.async_mode:
            return self.__acall__(request)
        with module_cache():
            return self.get_response(request)

    async def __acall__(self, request):
        with module_cache():
            return await self.get_response(request)
