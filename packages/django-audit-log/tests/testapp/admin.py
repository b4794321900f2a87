"""Test models in the admin, so that audit entries can link to their targets."""

from django.contrib import admin

from tests.testapp.models import Account, Invoice

admin.site.register(Invoice)
admin.site.register(Account)
