import logging

import pytest
from django.template import engines

from django_modules import disable_module

pytestmark = pytest.mark.django_db


def test_filter_shows_only_enabled_modules_and_fails_closed(client, org, other_org, pharmacy, lab):
    disable_module(org, "pharmacy")
    assert client.get("/menu/", headers={"X-Org": str(other_org.pk)}).content == b"[pharmacy]"
    assert client.get("/menu/", headers={"X-Org": str(org.pk)}).content == b""


def test_filter_is_off_without_organization_or_with_a_wrong_value(pharmacy, caplog):
    template = engines["django"].from_string(
        "{% load django_modules %}{% if org|module_enabled:'pharmacy' %}on{% else %}off{% endif %}"
    )
    assert template.render({}) == "off"
    assert template.render({"org": None}) == "off"
    with caplog.at_level(logging.ERROR, logger="django_modules"):
        assert template.render({"org": "acme"}) == "off"
    assert "'acme'" in caplog.text


def test_filter_costs_one_query_per_request(client, org, pharmacy, lab, django_assert_num_queries):
    # the organization lookup, then all modules at once, whatever the number of filters
    with django_assert_num_queries(2):
        client.get("/menu/", headers={"X-Org": str(org.pk)})
