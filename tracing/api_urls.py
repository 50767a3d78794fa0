from __future__ import annotations

from django.urls import URLPattern, path

from tracing import api

CASE = "cases/<str:reference>/"
REQUEST = "tracing/requests/<int:request_id>/"
urlpatterns: list[URLPattern] = [
    path(f"{CASE}family-members/", api.CaseFamilyMembersApi.as_view(), name="api_case_family_members"),
    path(f"{CASE}family-members/<int:member_id>/", api.CaseFamilyMemberApi.as_view(), name="api_case_family_member"),
    path("tracing/requests/", api.TracingRequestsApi.as_view(), name="api_tracing_requests"),
    path(REQUEST, api.TracingRequestApi.as_view(), name="api_tracing_request"),
    path(f"{REQUEST}search/", api.TracingRequestSearchApi.as_view(), name="api_tracing_request_search"),
    path(
        f"{REQUEST}matches/<int:match_id>/confirm/",
        api.TracingMatchConfirmApi.as_view(),
        name="api_tracing_match_confirm",
    ),
    path(
        f"{REQUEST}matches/<int:match_id>/reject/", api.TracingMatchRejectApi.as_view(), name="api_tracing_match_reject"
    ),
]
