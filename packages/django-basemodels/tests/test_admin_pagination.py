"""The bounded count of a changelist (django_basemodels.admin.BoundedCountPaginator)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from django_basemodels.admin import BoundedCountPaginator
from django_basemodels.exceptions import CountLimitError
from tests.testapp.admin import TokenPaginator
from tests.testapp.models import Token

pytestmark = pytest.mark.django_db


@pytest.fixture
def five_tokens():
    Token.objects.bulk_create([Token(label=f"t{i}") for i in range(5)])


def bounded(limit, **options):
    return type("Bounded", (BoundedCountPaginator,), {"count_limit": limit, **options})


def counted(paginator):
    """The paginator's count, and the one query that computed it."""
    with CaptureQueriesContext(connection) as captured:
        count = paginator.count
    [query] = [q["sql"] for q in captured.captured_queries]
    return count, query


def test_past_the_bound_the_count_is_one_more_and_says_more_than(five_tokens):
    paginator = bounded(3)(Token.objects.order_by("label"), 2)
    count, query = counted(paginator)
    assert (count, paginator.more_than, paginator.count_text) == (4, 3, "more than 3")
    assert paginator.num_pages == 2  # pages reach the count, no further
    assert "COUNT(" in query.upper()
    assert "LIMIT 4" in query
    assert "ORDER BY" not in query  # unordered by default, whatever the list's order


def test_below_the_bound_the_count_is_exact(five_tokens):
    for limit in (5, 10_000):
        paginator = bounded(limit)(Token.objects.order_by("label"), 2)
        assert (paginator.count, paginator.more_than, paginator.count_text) == (5, None, "5")
        assert paginator.num_pages == 3


def test_the_text_groups_thousands(five_tokens):
    paginator = bounded(2_000)(Token.objects.order_by("label"), 2)
    paginator.__dict__["count"] = 2_001  # what a longer table would count
    assert paginator.count_text == "more than 2,000"
    paginator.__dict__["count"] = 1_234
    assert paginator.count_text == "1,234"


def test_without_more_than_the_count_stops_at_the_bound(five_tokens):
    paginator = bounded(3, says_more_than=False)(Token.objects.order_by("label"), 2)
    count, query = counted(paginator)
    assert (count, paginator.more_than, paginator.count_text) == (3, None, "3")
    assert "LIMIT 3" in query


def test_the_count_ordering_orders_the_counted_rows(five_tokens):
    paginator = bounded(3, count_ordering=("-label",))(Token.objects.order_by("label"), 2)
    count, query = counted(paginator)
    assert count == 4
    assert "ORDER BY" in query
    assert "LIMIT 4" in query


def test_the_bound_can_come_from_a_method(five_tokens, settings):
    settings.TOKEN_COUNT_LIMIT = 1

    class FromSetting(BoundedCountPaginator):
        def get_count_limit(self):
            from django.conf import settings as current

            return current.TOKEN_COUNT_LIMIT

    paginator = FromSetting(Token.objects.order_by("label"), 2)
    assert (paginator.count, paginator.count_text) == (2, "more than 1")


def test_the_count_is_one_query_whatever_the_number_of_rows(django_assert_num_queries):
    for rows in (1, 100):
        Token.objects.all().delete()
        Token.objects.bulk_create([Token(label=f"t{i}") for i in range(rows)])
        paginator = bounded(50)(Token.objects.order_by("label"), 10)
        with django_assert_num_queries(1):
            assert paginator.count == min(rows, 51)
            assert paginator.count_text == ("1" if rows == 1 else "more than 50")


@pytest.mark.parametrize("limit", [0, -1, "100", 2.5, True, None])
def test_a_bound_that_is_not_a_positive_integer_is_refused(limit):
    paginator = bounded(limit)(Token.objects.order_by("label"), 2)
    with pytest.raises(CountLimitError, match=rf"Bounded's count limit is {limit!r}; expected"):
        _ = paginator.count


def test_the_changelist_counts_once_and_says_more_than(admin_client, five_tokens):
    url = reverse("admin:testapp_token_changelist")
    admin_client.get(url)  # content types and the like, cached from now on
    with CaptureQueriesContext(connection) as captured:
        response = admin_client.get(url)
    changelist = response.context["cl"]
    assert isinstance(changelist.paginator, TokenPaginator)
    assert changelist.result_count == 4
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1, counts  # the bounded count; no full count of the table
    page = response.content.decode()
    assert '<span class="bounded-count">more than 3 tokens</span>' in page
    Token.objects.exclude(label="t0").delete()
    page = admin_client.get(url).content.decode()
    assert '<span class="bounded-count">1 token</span>' in page


def test_importing_the_package_or_its_admin_loads_no_admin_site():
    """django_basemodels.admin is imported by the admin's autodiscovery (or by an admin module
    that uses it), never by the package itself."""
    code = (
        "import sys, django_basemodels, django_basemodels.exceptions; "
        "print('django.contrib.admin' in sys.modules, 'django_basemodels.admin' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "False"]
