"""The test settings with MODULES_ORG_MODEL missing, or set to $BAD_ORG_MODEL when given."""

import os

from tests.settings import *  # noqa: F403

del MODULES_ORG_MODEL  # noqa: F821
if os.environ.get("BAD_ORG_MODEL"):
    MODULES_ORG_MODEL = os.environ["BAD_ORG_MODEL"]
