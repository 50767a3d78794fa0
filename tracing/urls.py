from __future__ import annotations

from django.urls import URLPattern, path

from tracing import views

app_name = "tracing"

urlpatterns: list[URLPattern] = [
    path("cases/<str:reference>/family/", views.family_list, name="family_list"),
    path("cases/<str:reference>/family/new/", views.family_add, name="family_add"),
    path("cases/<str:reference>/family/<int:member_id>/edit/", views.family_edit, name="family_edit"),
    path("tracing/", views.request_list, name="request_list"),
    path("tracing/new/", views.request_create, name="request_create"),
    path("tracing/<int:request_id>/", views.request_detail, name="request_detail"),
    path("tracing/<int:request_id>/search/", views.request_search, name="request_search"),
    path("tracing/<int:request_id>/close/", views.request_close, name="request_close"),
    path("tracing/<int:request_id>/matches/<int:match_id>/confirm/", views.match_confirm, name="match_confirm"),
    path("tracing/<int:request_id>/matches/<int:match_id>/reject/", views.match_reject, name="match_reject"),
]
