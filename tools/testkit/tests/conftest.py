"""The kit's own tests need Django configured, but no database."""

from django.conf import settings

if not settings.configured:
    settings.configure(DATABASES={})
