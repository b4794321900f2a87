"""The app the docs' code examples run in: the models a page defines are registered here.

Installed only by the tests (tests/settings.py). It has no models module and no migrations: a
page's models exist for the duration of that page's test, created and dropped by the runner.
"""
