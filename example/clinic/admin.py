from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from clinic.models import ServiceRecord, User, Vehicle
from django_basemodels.admin import SoftDeleteAdmin

admin.site.register(User, UserAdmin)


@admin.register(Vehicle)
class VehicleAdmin(SoftDeleteAdmin):
    list_display = ("registration", "make", "owner_name", "created_at")
    search_fields = ("registration", "make", "owner_name")


@admin.register(ServiceRecord)
class ServiceRecordAdmin(SoftDeleteAdmin):
    list_display = ("description", "vehicle", "created_at", "deleted_at")
    list_select_related = ("vehicle",)
