"""URLs of the accounts app (namespace ``accounts``), mounted at /accounts/."""

from __future__ import annotations

from django.urls import path

from inodli.edc.accounts import views

app_name = "accounts"

urlpatterns = [
    path("users/", views.UserListView.as_view(), name="users"),
    path("users/new/", views.UserCreateView.as_view(), name="user-new"),
    path("users/<int:pk>/", views.UserDetailView.as_view(), name="user"),
    path("logins/", views.LoginLogView.as_view(), name="login-log"),
    path("password/", views.PasswordChangeView.as_view(), name="password"),
]
