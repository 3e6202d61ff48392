"""URL configuration of the data capture application."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, include, path
from django.views.generic import RedirectView

from inodli.edc.core.views import set_language_preference

urlpatterns: list[URLPattern | URLResolver] = [
    path("", RedirectView.as_view(pattern_name="visits:dashboard"), name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="core/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", set_language_preference, name="set-language"),
    path("subjects/", include("inodli.edc.subjects.urls")),
    path("visits/", include("inodli.edc.visits.urls")),
    path("audit/", include("inodli.edc.core.urls")),
    path("accounts/", include("inodli.edc.accounts.urls")),
]

# The clinical-form apps add their own pages (beyond the generic form views) when they have a urls module.
for _name in ("treatment", "assessments", "safety", "analysis", "governance", "exchange", "api"):
    if (Path(__file__).resolve().parent / _name / "urls.py").exists():
        urlpatterns.append(path(f"{_name}/", include(f"inodli.edc.{_name}.urls")))
