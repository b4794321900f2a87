"""Checks of the values written to the module models, shared by ``save()``, the bulk paths and
``QuerySet.update()``.

The checks themselves are django_basemodels'
:class:`~django_basemodels.validation.FieldValueChecks` (the same in every package), raising this
package's ``InvalidArgumentError`` naming the field, the value and what was expected.
"""

from __future__ import annotations

from django_basemodels.validation import FieldValueChecks
from django_modules.exceptions import InvalidArgumentError

__all__ = ["check_instance", "check_update_values"]

_checks = FieldValueChecks(InvalidArgumentError)
check_instance = _checks.check_instance
check_update_values = _checks.check_update_values
