from __future__ import annotations

from django.urls import path

from registry import api, duplicate_api

urlpatterns = [
    path("cases/", api.CaseListApi.as_view(), name="api_case_list"),
    path("cases/<str:reference>/", api.CaseDetailApi.as_view(), name="api_case_detail"),
    path("cases/<str:reference>/custody/", api.CustodyCreateApi.as_view(), name="api_custody_create"),
    path("cases/<str:reference>/teams/", api.CaseTeamsApi.as_view(), name="api_case_teams"),
    path(
        "cases/<str:reference>/teams/<int:team_id>/",
        api.CaseTeamDeleteApi.as_view(),
        name="api_case_team_delete",
    ),
    path("duplicates/", duplicate_api.DuplicateListApi.as_view(), name="api_duplicate_list"),
    path("duplicates/<int:candidate_id>/", duplicate_api.DuplicateDetailApi.as_view(), name="api_duplicate_detail"),
    path(
        "duplicates/<int:candidate_id>/distinct/",
        duplicate_api.DuplicateDistinctApi.as_view(),
        name="api_duplicate_distinct",
    ),
    path("duplicates/<int:candidate_id>/merge/", duplicate_api.DuplicateMergeApi.as_view(), name="api_duplicate_merge"),
]
