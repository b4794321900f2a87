from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from django_rbac.admin import RBACUserAdminMixin
from tests.testapp.models import User


@admin.register(User)
class HostUserAdmin(RBACUserAdminMixin, UserAdmin):
    pass
