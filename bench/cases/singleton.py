"""django-singleton: get_instance() against django-solo's get_solo(), without and with a cache.

- no cache: neither package has a cache configured, every read is a query;
- cold cache: the cache is cleared before each read (first read after a save or a deploy);
- warm cache: the row comes from the cache (a local-memory cache, so the figures show the
  packages' own overhead rather than a network round trip).
"""

from __future__ import annotations

from benchapp.models import SiteConfig, SoloConfig
from django.core.cache import caches
from django.test import override_settings

PACKAGE = "django-singleton"
CACHE = "singletons"


def reading(read, reads, clear=False):
    cache = caches[CACHE]

    def action():
        for _ in range(reads):
            if clear:
                cache.clear()
            read()

    return lambda: action


def run(bench) -> None:
    reads = bench.sizes.pick(2000, 10)
    SiteConfig.get_instance(), SoloConfig.get_solo()  # the rows exist before any timing
    with override_settings(SINGLETON_CACHE=None, SOLO_CACHE=None):
        bench.pair(
            "get_instance(), no cache",
            "django-solo get_solo(), no cache",
            reading(SiteConfig.get_instance, reads),
            reading(SoloConfig.get_solo, reads),
            ops=reads,
        )
    with override_settings(SINGLETON_CACHE=CACHE, SOLO_CACHE=CACHE):
        bench.pair(
            "get_instance(), cold cache",
            "django-solo get_solo(), cold cache",
            reading(SiteConfig.get_instance, reads, clear=True),
            reading(SoloConfig.get_solo, reads, clear=True),
            ops=reads,
        )
        bench.pair(
            "get_instance(), warm cache",
            "django-solo get_solo(), warm cache",
            reading(SiteConfig.get_instance, reads),
            reading(SoloConfig.get_solo, reads),
            ops=reads,
        )
