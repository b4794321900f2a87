class BaseModelsError(Exception):
    """Base class of every error raised by django-basemodels."""


class ImproperlyConfiguredUUIDVersion(BaseModelsError):
    """BASEMODELS_UUID_VERSION names a version this package cannot generate."""

    def __init__(self, version: object) -> None:
        self.version = version
        super().__init__(f"BASEMODELS_UUID_VERSION is {version!r}; expected 7 or 4")


class DeletionMomentError(BaseModelsError):
    """A soft delete was asked to stamp rows with a moment outside the range it can restore."""

    def __init__(self, moment: object, earliest: object, latest: object) -> None:
        self.moment = moment
        super().__init__(
            f"deleted_at moment {moment!r} is not usable; expected a datetime from {earliest} "
            f"up to (not including) {latest}"
        )


class SoftDeleteBypassError(BaseModelsError):
    """A bulk write tried to set ``deleted_at`` directly, skipping the cascade."""

    def __init__(self, model: type, operation: str) -> None:
        self.model = model
        self.operation = operation
        label = model._meta.label
        super().__init__(
            f"{operation} on {label} writes deleted_at, which would skip the cascade; expected "
            f"{label}.objects...delete() to soft-delete or {label}.all_objects...restore() to "
            "restore"
        )


class AppendOnlyDeclarationError(BaseModelsError):
    """An ``AppendOnly`` / ``Retention`` declaration in a migration names something unusable."""

    def __init__(self, what: str, value: object, expected: str) -> None:
        self.value = value
        super().__init__(f"{what} is {value!r}; expected {expected}")
