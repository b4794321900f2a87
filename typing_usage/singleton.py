"""The public types of django-singleton, as a user's code sees them."""

from typing_extensions import assert_type

import django_singleton
from django_singleton import (
    SingletonDeletionError,
    SingletonError,
    SingletonModel,
    SingletonViolationError,
)


def usage(model: type[SingletonModel]) -> None:
    assert_type(django_singleton.__version__, str)
    assert_type(SingletonDeletionError(model), SingletonDeletionError)
    assert_type(SingletonViolationError(model, [2, 3]), SingletonViolationError)
    base: SingletonError = SingletonDeletionError(model)
    assert_type(base, SingletonError)
