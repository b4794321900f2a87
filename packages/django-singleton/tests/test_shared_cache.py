"""Two processes sharing one Redis cache and one PostgreSQL database, in a forced interleaving.

The reader is a second Python process. It takes the generation token, fetches the row while the
writer's transaction is still open, and then waits before storing it; the writer commits
(starting a new generation) and only then lets the reader store its old row. No process may be
served that row afterwards.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection, transaction

from tests.testapp.models import SiteSettings

pytestmark = [pytest.mark.server_database, pytest.mark.django_db(transaction=True)]

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
PACKAGE_ROOT = Path(__file__).resolve().parent.parent

# The reader process: same settings and database as this test, the same Redis, and a pause
# between its database read and its cache store (the pause point is ``cache.store``).
READER = """
import json, os, sys
config = json.loads(sys.argv[1])
os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
from django.conf import settings
settings.DATABASES["default"]["NAME"] = config["database"]
settings.CACHES = config["caches"]
settings.SINGLETON_CACHE = "shared"
import django
django.setup()
from django_singleton import cache
from tests.testapp.models import SiteSettings
really_store = cache.store
def store_when_told(*args, **kwargs):
    print("fetched", flush=True)
    sys.stdin.readline()
    really_store(*args, **kwargs)
if config["pause"]:
    cache.store = store_when_told
print(SiteSettings.get_instance().site_name, flush=True)
"""


def redis_is_up() -> bool:
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def shared_redis(settings):
    """Caching on, through Redis, under a key prefix of this test's own."""
    if not redis_is_up():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is required under CI=true; nothing on {REDIS_HOST}:{REDIS_PORT}")
        pytest.skip(f"needs Redis on {REDIS_HOST}:{REDIS_PORT} (scripts/ensure-redis starts it)")
    prefix = f"singleton-test-{uuid.uuid4().hex}"
    caches = {
        **settings.CACHES,
        "shared": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://{REDIS_HOST}:{REDIS_PORT}/0",
            "KEY_PREFIX": prefix,
        },
    }
    settings.CACHES = caches
    settings.SINGLETON_CACHE = "shared"
    yield caches
    # This test's keys only: the cache's clear() empties the whole Redis database, under the feet
    # of this suite running on another database (or in another checkout) at the same moment.
    import redis

    client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=0)
    ours = list(client.scan_iter(match=f"{prefix}:*"))
    if ours:
        client.delete(*ours)
    client.close()


def start_reader(caches: dict, *, pause: bool) -> subprocess.Popen[str]:
    config = {"database": connection.settings_dict["NAME"], "caches": caches, "pause": pause}
    return subprocess.Popen(
        [sys.executable, "-c", READER, json.dumps(config)],
        cwd=PACKAGE_ROOT,
        env={**os.environ, "PYTHONPATH": str(PACKAGE_ROOT)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(reader: subprocess.Popen[str], send: str = "") -> str:
    out, err = reader.communicate(send, timeout=120)
    assert reader.returncode == 0, err
    return out.strip()


def test_a_row_fetched_before_a_commit_and_stored_after_it_is_never_served(shared_redis):
    SiteSettings.objects.create(site_name="old")

    with transaction.atomic():
        SiteSettings.objects.update(site_name="new")
        reader = start_reader(shared_redis, pause=True)
        # The reader has taken the token and read the committed row, "old"; it waits to store.
        assert reader.stdout.readline().strip() == "fetched", reader.stderr.read()
    # Committed: a new generation has started. Now the reader stores what it fetched.
    assert finish(reader, "go\n") == "old"

    assert finish(start_reader(shared_redis, pause=False)) == "new"  # another process
    assert SiteSettings.get_instance().site_name == "new"  # and this one


def test_a_warm_cache_is_shared_between_processes_and_follows_a_save(
    shared_redis, django_assert_num_queries
):
    SiteSettings.objects.create(site_name="first")
    assert finish(start_reader(shared_redis, pause=False)) == "first"  # the other process fills
    with django_assert_num_queries(0):
        assert SiteSettings.get_instance().site_name == "first"  # this one is served from Redis
    row = SiteSettings.get_instance()
    row.site_name = "second"
    row.save()
    assert finish(start_reader(shared_redis, pause=False)) == "second"
