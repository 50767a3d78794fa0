from __future__ import annotations

from django.urls import URLPattern, path

from correspondence import api

# Endpoints of a case's correspondence, under /api/v1/cases/<reference>/ beside the registry's.
CASE = "cases/<str:reference>/correspondence/"
ITEM = f"{CASE}<int:item_id>/"
urlpatterns: list[URLPattern] = [
    path(CASE, api.CaseCorrespondenceApi.as_view(), name="api_case_correspondence"),
    path(ITEM, api.CorrespondenceItemApi.as_view(), name="api_correspondence_item"),
    path(f"{ITEM}approve/", api.CorrespondenceApproveApi.as_view(), name="api_correspondence_approve"),
    path(f"{ITEM}refuse/", api.CorrespondenceRefuseApi.as_view(), name="api_correspondence_refuse"),
    path(f"{ITEM}sent/", api.CorrespondenceSentApi.as_view(), name="api_correspondence_sent"),
    path(f"{ITEM}delivered/", api.CorrespondenceDeliveredApi.as_view(), name="api_correspondence_delivered"),
    path(f"{ITEM}decline/", api.CorrespondenceDeclineApi.as_view(), name="api_correspondence_decline"),
    path(f"{ITEM}censorship/", api.CorrespondenceCensorshipApi.as_view(), name="api_correspondence_censorship"),
    path(f"{ITEM}translations/", api.CorrespondenceTranslationsApi.as_view(), name="api_correspondence_translations"),
    path(f"{ITEM}attachments/", api.CorrespondenceAttachmentsApi.as_view(), name="api_correspondence_attachments"),
    path(
        f"{ITEM}attachments/<int:attachment_id>/",
        api.CorrespondenceAttachmentApi.as_view(),
        name="api_correspondence_attachment",
    ),
    path(f"{ITEM}deliveries/", api.CorrespondenceDeliveriesApi.as_view(), name="api_correspondence_deliveries"),
]
