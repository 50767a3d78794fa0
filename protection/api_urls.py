from __future__ import annotations

from django.urls import URLPattern, path

from protection import api
from protection.alerts_api import AlertListApi

# Endpoints of the lifecycle, under /api/v1/cases/<reference>/ beside the registry's.
CASE = "cases/<str:reference>/"
urlpatterns: list[URLPattern] = [
    path(f"{CASE}transitions/", api.CaseTransitionsApi.as_view(), name="api_case_transitions"),
    path(f"{CASE}interviews/", api.CaseInterviewsApi.as_view(), name="api_case_interviews"),
    path(f"{CASE}nib-record/", api.CaseNibRecordApi.as_view(), name="api_case_nib_record"),
    path(f"{CASE}risk-assessments/", api.CaseRiskAssessmentsApi.as_view(), name="api_case_risk_assessments"),
    path(f"{CASE}protection-requests/", api.CaseProtectionRequestsApi.as_view(), name="api_case_protection_requests"),
    path(f"{CASE}acceptances/", api.CaseAcceptancesApi.as_view(), name="api_case_acceptances"),
    path(f"{CASE}transfers/", api.CaseTransfersApi.as_view(), name="api_case_transfers"),
    path(f"{CASE}proceedings/", api.CaseProceedingsApi.as_view(), name="api_case_proceedings"),
    path(
        f"{CASE}proceedings/<int:proceedings_id>/close/",
        api.CaseProceedingsCloseApi.as_view(),
        name="api_case_proceedings_close",
    ),
    path(f"{CASE}extensions/", api.CaseExtensionsApi.as_view(), name="api_case_extensions"),
    path(f"{CASE}death-record/", api.CaseDeathRecordApi.as_view(), name="api_case_death_record"),
    path(f"{CASE}pathway-progress/", api.CasePathwayProgressApi.as_view(), name="api_case_pathway_progress"),
    path(f"{CASE}events/", api.CaseEventsApi.as_view(), name="api_case_events"),
    path(
        f"{CASE}events/<int:event_id>/forwarded/", api.CaseEventForwardedApi.as_view(), name="api_case_event_forwarded"
    ),
    path(f"{CASE}history/", api.CaseHistoryApi.as_view(), name="api_case_history"),
    path("notifications/", api.NotificationListApi.as_view(), name="api_notifications"),
    path("alerts/", AlertListApi.as_view(), name="api_alert_list"),
]
