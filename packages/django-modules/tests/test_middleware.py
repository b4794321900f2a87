import pytest
from asgiref.sync import async_to_sync, iscoroutinefunction
from django.http import HttpResponse
from django.test import RequestFactory

from django_modules import cache
from django_modules.middleware import ModuleCacheMiddleware


def test_sync_request_runs_inside_a_scope_that_ends_with_it():
    seen = []

    def view(request):
        seen.append(cache.is_active())
        return HttpResponse()

    ModuleCacheMiddleware(view)(RequestFactory().get("/"))
    assert seen == [True]
    assert not cache.is_active()


def test_async_request_runs_inside_a_scope_that_ends_with_it():
    seen = []

    async def view(request):
        seen.append(cache.is_active())
        return HttpResponse()

    middleware = ModuleCacheMiddleware(view)
    assert iscoroutinefunction(middleware)
    async_to_sync(middleware)(RequestFactory().get("/"))
    assert seen == [True]
    assert not cache.is_active()


def test_scope_ends_when_the_view_raises():
    def view(request):
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        ModuleCacheMiddleware(view)(RequestFactory().get("/"))
    assert not cache.is_active()


def test_each_request_gets_a_new_scope():
    scopes = []

    def view(request):
        scopes.append(cache._current.get())
        return HttpResponse()

    middleware = ModuleCacheMiddleware(view)
    middleware(RequestFactory().get("/"))
    middleware(RequestFactory().get("/"))
    assert scopes[0] is not scopes[1]
