from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from registry import views as registry_views


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


admin.site.login = RedirectView.as_view(pattern_name="account_login", query_string=True)  # type: ignore[method-assign,assignment]
admin.site.site_header = "Passage administration"

urlpatterns = [
    path("", registry_views.home, name="home"),
    path("", include("registry.urls")),
    path("", include("protection.urls")),
    path("", include("consent.urls")),
    path("", include("tracing.urls")),
    path("", include("correspondence.urls")),
    path("accounts/", include("allauth.urls")),
    path("audit/", include("audit.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("registry.api_urls")),
    path("api/v1/", include("protection.api_urls")),
    path("api/v1/", include("consent.api_urls")),
    path("api/v1/", include("tracing.api_urls")),
    path("api/v1/", include("correspondence.api_urls")),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/v1/docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), name="api_docs"),
    path("healthz", healthz, name="healthz"),
]
