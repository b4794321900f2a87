from django.contrib import admin
from django.urls import path

from tests.testapp import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("pharmacy/", views.pharmacy),
    path("pharmacy-async/", views.pharmacy_async),
    path("pharmacy-cbv/", views.PharmacyView.as_view()),
    path("pharmacy-async-cbv/", views.PharmacyAsyncView.as_view()),
    path("typo/", views.typo),
    path("by-attribute/", views.by_attribute),
    path("states/", views.states),
    path("menu/", views.menu),
]
