import pytest
from django.core.cache import caches


@pytest.fixture
def cached(settings):
    """Caching on, through the process-local "singletons" alias, emptied before and after."""
    settings.SINGLETON_CACHE = "singletons"
    caches["singletons"].clear()
    yield caches["singletons"]
    caches["singletons"].clear()


@pytest.fixture
def shared_file_cache(settings, tmp_path):
    """Two cache aliases over one directory: two processes sharing one cache backend."""
    backend = "django.core.cache.backends.filebased.FileBasedCache"
    settings.CACHES = {
        **settings.CACHES,
        "process_a": {"BACKEND": backend, "LOCATION": str(tmp_path)},
        "process_b": {"BACKEND": backend, "LOCATION": str(tmp_path)},
    }
    return settings
