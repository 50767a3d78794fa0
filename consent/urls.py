from __future__ import annotations

from django.urls import URLPattern, path

from consent.views import consents, disclosure, media, releases

app_name = "consent"

urlpatterns: list[URLPattern] = [
    path("cases/<str:reference>/consents/", consents.consent_list, name="list"),
    path("cases/<str:reference>/consents/<int:consent_id>/revoke/", consents.consent_revoke, name="revoke"),
    path("disclosure/check/", disclosure.disclosure_check_page, name="disclosure_check"),
    path("media-requests/", media.media_request_list, name="media_request_list"),
    path("media-requests/new/", media.media_request_create, name="media_request_create"),
    path("media-requests/<int:pk>/", media.media_request_detail, name="media_request_detail"),
    path("media-requests/<int:pk>/persons/", media.media_request_add_person, name="media_request_add_person"),
    path(
        "media-requests/<int:pk>/persons/<str:reference>/remove/",
        media.media_request_remove_person,
        name="media_request_remove_person",
    ),
    path("media-requests/<int:pk>/submit/", media.media_request_submit, name="media_request_submit"),
    path("media-requests/<int:pk>/review/", media.media_request_review, name="media_request_review"),
    path("media-requests/<int:pk>/close/", media.media_request_close, name="media_request_close"),
    path("releases/", releases.release_list, name="release_list"),
    path("releases/new/", releases.release_create, name="release_create"),
    path("releases/<int:pk>/", releases.release_detail, name="release_detail"),
    path("releases/<int:pk>/edit/", releases.release_edit, name="release_edit"),
    path("releases/<int:pk>/check/", releases.release_check, name="release_check"),
    path("releases/<int:pk>/redact/", releases.release_redact, name="release_redact"),
    path(
        "releases/<int:pk>/findings/<int:finding_id>/dismiss/",
        releases.release_finding_dismiss,
        name="release_finding_dismiss",
    ),
    path("releases/<int:pk>/submit/", releases.release_submit, name="release_submit"),
    path("releases/<int:pk>/review/", releases.release_review, name="release_review"),
    path("releases/<int:pk>/release/", releases.release_mark_released, name="release_mark_released"),
    path("releases/<int:pk>/cancel/", releases.release_cancel, name="release_cancel"),
    path("releases/<int:pk>/download/", releases.release_download, name="release_download"),
    path("follow-ups/", releases.takedown_list, name="takedown_list"),
    path("follow-ups/<int:pk>/", releases.takedown_update, name="takedown_update"),
]
