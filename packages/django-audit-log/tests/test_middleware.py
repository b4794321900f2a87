import pytest
from asgiref.sync import sync_to_async
from django.db import connections
from django.http import HttpResponse
from django.test import AsyncClient, RequestFactory, override_settings

from django_audit_log import current_context
from django_audit_log.middleware import AuditContextMiddleware
from django_audit_log.models import AuditLog


def run_middleware(**meta):
    """Run the sync middleware around a view that returns what the context held."""
    seen = {}

    def view(request):
        context = current_context()
        seen.update(ip=context.ip_address, agent=context.user_agent, rid=context.request_id)
        return HttpResponse()

    request = RequestFactory().get("/", **meta)
    response = AuditContextMiddleware(view)(request)
    return seen, response


def test_context_holds_ip_agent_and_request_id_and_is_cleared_after():
    seen, response = run_middleware(REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="curl/8")
    assert seen["ip"] == "203.0.113.9"
    assert seen["agent"] == "curl/8"
    assert len(seen["rid"]) == 32  # generated
    assert response["X-Request-ID"] == seen["rid"]
    assert current_context() is None


def test_sane_request_id_is_kept_and_echoed():
    seen, response = run_middleware(HTTP_X_REQUEST_ID="abc-123.def:9")
    assert seen["rid"] == "abc-123.def:9"
    assert response["X-Request-ID"] == "abc-123.def:9"


@pytest.mark.parametrize("bad", ["", "a b", "x" * 129, "<script>", "id\r\nSet-Cookie: x=1"])
def test_insane_request_id_is_replaced(bad):
    seen, response = run_middleware(HTTP_X_REQUEST_ID=bad)
    assert seen["rid"] != bad
    assert len(seen["rid"]) == 32
    assert response["X-Request-ID"] == seen["rid"]


@override_settings(AUDIT_LOG_REQUEST_ID_HEADER="X-Correlation-ID")
def test_request_id_header_is_configurable():
    seen, response = run_middleware(HTTP_X_CORRELATION_ID="corr-1")
    assert seen["rid"] == "corr-1"
    assert response["X-Correlation-ID"] == "corr-1"


def test_forwarded_for_is_ignored_without_trusted_proxies():
    seen, _ = run_middleware(REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert seen["ip"] == "198.51.100.1"


@override_settings(AUDIT_LOG_TRUSTED_PROXIES=["10.0.0.0/8"])
def test_forwarded_for_from_an_untrusted_peer_is_ignored():
    seen, _ = run_middleware(REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert seen["ip"] == "198.51.100.1"


@override_settings(AUDIT_LOG_TRUSTED_PROXIES=["10.0.0.0/8"])
def test_forwarded_for_from_a_trusted_proxy_names_the_client():
    seen, _ = run_middleware(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert seen["ip"] == "203.0.113.7"


@override_settings(AUDIT_LOG_TRUSTED_PROXIES=["10.0.0.0/8"])
def test_spoofed_hops_left_of_the_client_are_not_believed():
    # The client sent "X-Forwarded-For: 6.6.6.6"; the trusted proxy appended the real peer.
    seen, _ = run_middleware(
        REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7, 10.0.0.4"
    )
    assert seen["ip"] == "203.0.113.7"


@override_settings(AUDIT_LOG_TRUSTED_PROXIES=["10.0.0.5"])
def test_garbage_in_forwarded_for_falls_back_to_the_peer():
    seen, _ = run_middleware(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="not-an-ip")
    assert seen["ip"] == "10.0.0.5"


@override_settings(AUDIT_LOG_TRUSTED_PROXIES=["::1", "10.0.0.0/8"])
def test_ipv6_peers_and_mixed_versions():
    seen, _ = run_middleware(REMOTE_ADDR="::1", HTTP_X_FORWARDED_FOR="2001:db8::7")
    assert seen["ip"] == "2001:db8::7"


def test_invalid_remote_addr_gives_no_ip():
    seen, _ = run_middleware(REMOTE_ADDR="unknown")
    assert seen["ip"] is None


@pytest.mark.django_db
def test_sync_view_entry_carries_the_request_context(client, user):
    client.force_login(user)
    response = client.get(
        "/sync/", HTTP_X_REQUEST_ID="req-42", HTTP_USER_AGENT="browser", REMOTE_ADDR="192.0.2.1"
    )
    entry = AuditLog.objects.get(action="view.sync")
    assert response["X-Request-ID"] == "req-42"
    assert entry.actor == user
    assert entry.actor_display == "alice"
    assert entry.request_id == "req-42"
    assert entry.ip_address == "192.0.2.1"
    assert entry.user_agent == "browser"
    assert entry.is_system is False


@pytest.mark.django_db(transaction=True)
def test_async_view_entry_carries_the_request_context(user):
    import asyncio

    async def call():
        client = AsyncClient()
        await client.aforce_login(user)
        response = await client.get(
            "/async/", headers={"X-Request-ID": "async-7", "User-Agent": "async-browser"}
        )
        await sync_to_async(connections.close_all)()  # the worker thread's connection
        return response

    response = asyncio.run(call())
    assert response.status_code == 200
    entry = AuditLog.objects.get(action="view.async")
    assert response["X-Request-ID"] == "async-7"
    assert entry.request_id == "async-7"
    assert entry.user_agent == "async-browser"
    assert entry.actor == user


@pytest.mark.django_db
def test_anonymous_request_has_no_actor_and_is_not_system(client):
    client.get("/sync/")
    entry = AuditLog.objects.get(action="view.sync")
    assert entry.actor is None
    assert entry.is_system is False
    assert entry.request_id


def test_async_middleware_sets_and_clears_the_context():
    import asyncio

    from asgiref.sync import iscoroutinefunction

    seen = {}

    async def view(request):
        await asyncio.sleep(0)
        seen["rid"] = current_context().request_id
        return HttpResponse()

    middleware = AuditContextMiddleware(view)
    assert iscoroutinefunction(middleware)
    request = RequestFactory().get("/", HTTP_X_REQUEST_ID="co-1")
    response = asyncio.run(middleware(request))
    assert seen["rid"] == "co-1"
    assert response["X-Request-ID"] == "co-1"
    assert current_context() is None
