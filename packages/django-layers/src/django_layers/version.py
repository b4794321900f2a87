"""The version of django-layers (a plain value that every layer may read)."""

__version__ = "0.1.0"
