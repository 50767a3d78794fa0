from __future__ import annotations

from django.urls import URLPattern, path

from correspondence import views

app_name = "correspondence"

CASE = "cases/<str:reference>/correspondence/"
ITEM = f"{CASE}<int:item_id>/"
urlpatterns: list[URLPattern] = [
    path(CASE, views.correspondence_list, name="list"),
    path(f"{CASE}new/", views.correspondence_create, name="create"),
    path(ITEM, views.correspondence_detail, name="detail"),
    path(f"{ITEM}edit/", views.correspondence_edit, name="edit"),
    path(f"{ITEM}approve/", views.correspondence_approve, name="approve"),
    path(f"{ITEM}refuse/", views.correspondence_refuse, name="refuse"),
    path(f"{ITEM}sent/", views.correspondence_sent, name="sent"),
    path(f"{ITEM}delivered/", views.correspondence_delivered, name="delivered"),
    path(f"{ITEM}decline/", views.correspondence_decline, name="decline"),
    path(f"{ITEM}censorship/", views.correspondence_censor, name="censor"),
    path(f"{ITEM}translations/", views.translation_add, name="translation_add"),
    path(f"{ITEM}attachments/", views.attachment_add, name="attachment_add"),
    path(f"{ITEM}attachments/<int:attachment_id>/", views.attachment_download, name="attachment_download"),
    path(f"{ITEM}deliveries/new/", views.delivery_create, name="delivery_create"),
    path(f"{ITEM}deliveries/<int:delivery_id>/status/", views.delivery_status, name="delivery_status"),
]
