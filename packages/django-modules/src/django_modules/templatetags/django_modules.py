"""``{% load django_modules %}``: the ``module_enabled`` filter.

``{% if request.organization|module_enabled:"pharmacy" %}...{% endif %}``. It fails closed: no
organization, an unknown module or any other error renders as off (an unknown key is logged).
"""

from __future__ import annotations

import logging
from typing import Any

from django import template

from django_modules.exceptions import ModulesError

register = template.Library()
logger = logging.getLogger("django_modules")


@register.filter
def module_enabled(org: Any, key: str) -> bool:
    from django_modules.services import is_module_enabled

    if org is None or org == "":
        return False
    try:
        return is_module_enabled(org, key)
    except ModulesError as error:
        logger.error("module_enabled filter rendered as off: %s", error)
        return False
