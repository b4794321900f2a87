from django.contrib import admin
from django.urls import path

from tests.testapp import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("practice/", views.practice_view),
    path("manager/", views.manager_view),
    path("async/practice/", views.practice_view_async),
    path("async/manager-cbv/", views.ManagerOnlyAsync.as_view()),
    path("practice/edit/", views.PracticeEdit.as_view()),
    path("forgot-module/", views.ForgotModule.as_view()),
    path("undeclared-module/", views.UndeclaredModule.as_view()),
    path("manager-cbv/", views.ManagerOnly.as_view()),
    path("forgot-level/", views.ForgotLevel.as_view()),
    path("users/<int:pk>/edit/", views.EditUser.as_view()),
    path("forgot-target/", views.ForgotTarget.as_view()),
    path("edit-nobody/", views.EditNobody.as_view()),
]
