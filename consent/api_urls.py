from __future__ import annotations

from django.urls import URLPattern, path

from consent.api import consents, releases

# Endpoints of consents, under /api/v1/cases/<reference>/ beside the registry's; the disclosure check,
# media requests, releases and takedown follow-ups at the top of /api/v1/.
CASE = "cases/<str:reference>/"
RELEASE = "releases/<int:pk>/"
MEDIA = "media-requests/<int:pk>/"
urlpatterns: list[URLPattern] = [
    path(f"{CASE}consents/", consents.CaseConsentsApi.as_view(), name="api_case_consents"),
    path(
        f"{CASE}consents/<int:consent_id>/revoke/",
        consents.CaseConsentRevokeApi.as_view(),
        name="api_case_consent_revoke",
    ),
    path("disclosure/check/", releases.DisclosureCheckApi.as_view(), name="api_disclosure_check"),
    path("media-requests/", releases.MediaRequestsApi.as_view(), name="api_media_requests"),
    path(MEDIA, releases.MediaRequestDetailApi.as_view(), name="api_media_request"),
    path(f"{MEDIA}persons/", releases.MediaRequestPersonsApi.as_view(), name="api_media_request_persons"),
    path(f"{MEDIA}submit/", releases.MediaRequestSubmitApi.as_view(), name="api_media_request_submit"),
    path(f"{MEDIA}review/", releases.MediaRequestReviewApi.as_view(), name="api_media_request_review"),
    path(f"{MEDIA}close/", releases.MediaRequestCloseApi.as_view(), name="api_media_request_close"),
    path("releases/", releases.ReleasesApi.as_view(), name="api_releases"),
    path(RELEASE, releases.ReleaseDetailApi.as_view(), name="api_release"),
    path(f"{RELEASE}redact/", releases.ReleaseRedactApi.as_view(), name="api_release_redact"),
    path(
        f"{RELEASE}findings/<int:finding_id>/dismiss/",
        releases.ReleaseFindingDismissApi.as_view(),
        name="api_release_finding_dismiss",
    ),
    path(f"{RELEASE}review/", releases.ReleaseReviewApi.as_view(), name="api_release_review"),
    *(
        path(
            f"{RELEASE}{step}/",
            releases.ReleaseStepApi.as_view(step=step),
            name=f"api_release_{step}",
        )
        for step in ("check", "submit", "release", "cancel")
    ),
    path("follow-ups/", releases.TakedownsApi.as_view(), name="api_takedowns"),
    path("follow-ups/<int:pk>/", releases.TakedownDetailApi.as_view(), name="api_takedown"),
]
