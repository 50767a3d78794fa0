from __future__ import annotations

from django.urls import path

from registry import duplicate_views, views

app_name = "registry"

urlpatterns = [
    path("cases/", views.case_list, name="case_list"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/import/", views.person_import, name="person_import"),
    path("cases/import/jobs/<int:job_id>/", views.import_job, name="import_job"),
    path("duplicates/", duplicate_views.duplicate_list, name="duplicate_list"),
    path("duplicates/<int:candidate_id>/", duplicate_views.duplicate_detail, name="duplicate_detail"),
    path("duplicates/<int:candidate_id>/distinct/", duplicate_views.duplicate_distinct, name="duplicate_distinct"),
    path("duplicates/<int:candidate_id>/merge/", duplicate_views.duplicate_merge, name="duplicate_merge"),
    path("cases/<str:reference>/", views.case_detail, name="case_detail"),
    path("cases/<str:reference>/edit/", views.case_edit, name="case_edit"),
    path("cases/<str:reference>/custody/", views.custody_add, name="custody_add"),
    path("cases/<str:reference>/teams/", views.case_assign, name="case_assign"),
    path("cases/<str:reference>/erase/", views.person_erase, name="person_erase"),
    path("cases/<str:reference>/teams/<int:team_id>/remove/", views.case_unassign, name="case_unassign"),
]
