"""The host's settings plus the app the docs' code examples define their models in."""

from host.settings import *  # noqa: F403
from host.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "docs_examples"]
