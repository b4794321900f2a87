"""The settings of the worker process that ``test_celery_worker`` starts.

The worker must write into the test database the test process created, whose name it is given.
"""

import os

from tests.settings import *  # noqa: F403
from tests.settings import DATABASES

DATABASES["default"]["NAME"] = os.environ["AUDIT_LOG_CELERY_DATABASE"]
