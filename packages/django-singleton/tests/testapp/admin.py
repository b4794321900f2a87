from django.contrib import admin

from django_singleton.admin import SingletonModelAdmin
from tests.testapp.models import ShopSettings, SiteSettings, TaxSettings

admin.site.register(SiteSettings, SingletonModelAdmin)
admin.site.register(ShopSettings, SingletonModelAdmin)
admin.site.register(TaxSettings, SingletonModelAdmin)
