class BaseModelsError(Exception):
    """Base class of every error raised by django-basemodels."""


class ImproperlyConfiguredUUIDVersion(BaseModelsError):
    """BASEMODELS_UUID_VERSION names a version this package cannot generate."""

    def __init__(self, version: object) -> None:
        self.version = version
        super().__init__(f"BASEMODELS_UUID_VERSION is {version!r}; expected 7 or 4")
