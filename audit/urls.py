from __future__ import annotations

from django.urls import path

from audit import views

app_name = "audit"

urlpatterns = [
    path("", views.audit_log, name="log"),
    path("verify/", views.audit_verify, name="verify"),
    path("cases/<str:reference>/", views.case_trail, name="case_trail"),
]
