from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from clinic.models import User, Vehicle
from django_basemodels.admin import SoftDeleteAdmin

admin.site.register(User, UserAdmin)


@admin.register(Vehicle)
class VehicleAdmin(SoftDeleteAdmin):
    list_display = ("registration", "make", "owner_name", "created_at")
    search_fields = ("registration", "make", "owner_name")
