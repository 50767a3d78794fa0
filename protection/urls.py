from __future__ import annotations

from django.urls import URLPattern, path

from protection import views

app_name = "protection"

# Where each record's form lives, under the case: /cases/<reference>/<path>/ (named after the record).
RECORD_PATHS: dict[str, str] = {
    "interview": "interviews/new",
    "nib_record": "art-122",
    "event": "events/new",
    "risk_assessment": "risk-assessments/new",
    "protection_request": "protection-requests/new",
    "acceptance": "acceptances/new",
    "transfer": "transfers/new",
    "proceedings": "proceedings/new",
    "extension": "extensions/new",
    "pathway_progress": "pathway",
    "death_record": "death",
}
# Pages of the lifecycle, under /cases/<reference>/ beside the registry's.
urlpatterns: list[URLPattern] = [
    path("cases/<str:reference>/lifecycle/", views.lifecycle, name="lifecycle"),
    path("cases/<str:reference>/transitions/", views.transitions, name="transitions"),
    *(
        path(f"cases/<str:reference>/{route}/", views.record_page, {"record": record}, name=record)
        for record, route in RECORD_PATHS.items()
    ),
    path(
        "cases/<str:reference>/proceedings/<int:proceedings_id>/close/",
        views.proceedings_close,
        name="proceedings_close",
    ),
    path("cases/<str:reference>/events/<int:event_id>/forward/", views.event_forward, name="event_forward"),
    path("notifications/", views.notifications, name="notifications"),
]
