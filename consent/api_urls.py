from __future__ import annotations

from django.urls import URLPattern, path

from consent import api

# Endpoints of consents, under /api/v1/cases/<reference>/ beside the registry's.
CASE = "cases/<str:reference>/"
urlpatterns: list[URLPattern] = [
    path(f"{CASE}consents/", api.CaseConsentsApi.as_view(), name="api_case_consents"),
    path(
        f"{CASE}consents/<int:consent_id>/revoke/", api.CaseConsentRevokeApi.as_view(), name="api_case_consent_revoke"
    ),
]
