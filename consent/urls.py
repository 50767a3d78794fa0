from __future__ import annotations

from django.urls import URLPattern, path

from consent import views

app_name = "consent"

urlpatterns: list[URLPattern] = [
    path("cases/<str:reference>/consents/", views.consent_list, name="list"),
    path("cases/<str:reference>/consents/<int:consent_id>/revoke/", views.consent_revoke, name="revoke"),
]
