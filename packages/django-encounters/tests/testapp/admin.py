"""Patients have an admin page (the encounter admin links to it); assets have none."""

from django.contrib import admin

from tests.testapp.models import Patient

admin.site.register(Patient)
