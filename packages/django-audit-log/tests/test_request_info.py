from django.test import override_settings

from django_audit_log.request_info import client_ip, request_id_of, user_agent_of


def test_peer_address_without_proxies():
    assert client_ip({"REMOTE_ADDR": "192.0.2.1", "HTTP_X_FORWARDED_FOR": "1.1.1.1"}) == "192.0.2.1"


@override_settings(AUDIT_LOG_TRUSTED_PROXIES=["10.0.0.0/8"])
def test_chain_of_trusted_proxies_is_walked_right_to_left():
    meta = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "9.9.9.9, 198.51.100.4, 10.2.0.1"}
    assert client_ip(meta) == "198.51.100.4"


@override_settings(AUDIT_LOG_TRUSTED_PROXIES=["10.0.0.0/8"])
def test_all_hops_trusted_gives_the_leftmost():
    assert client_ip({"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "10.9.9.9"}) == "10.9.9.9"


@override_settings(AUDIT_LOG_TRUSTED_PROXIES=["10.0.0.0/8", "bogus"])
def test_invalid_setting_entries_are_ignored_here():  # and reported by audit_log.E001
    assert client_ip({"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.5"}) == (
        "203.0.113.5"
    )


def test_missing_peer_gives_none():
    assert client_ip({}) is None


def test_request_id_and_user_agent():
    assert request_id_of({"HTTP_X_REQUEST_ID": "abc"}) == "abc"
    assert len(request_id_of({})) == 32
    assert user_agent_of({"HTTP_USER_AGENT": "u" * 600}) == "u" * 512
    assert user_agent_of({}) == ""
