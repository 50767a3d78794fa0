"""`GET /api/v1/alerts/`: the open alerts of the cases the caller may see."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.models import AuditEvent
from audit.services import audit_record
from passage.problems import problem_response
from protection.alerts import ALERT_DATE_LABEL, ALERT_TODO, alerts_open_for
from protection.models import Alert


class AlertOutputSerializer(serializers.ModelSerializer[Alert]):
    title = serializers.CharField(source="get_kind_display", help_text="The rule the case breaks.")
    case = serializers.CharField(source="case.reference", help_text="The case reference.")
    due_on_means = serializers.SerializerMethodField(help_text="What the date is, in words.")
    todo = serializers.SerializerMethodField(help_text="What to do, in words.")

    class Meta:
        model = Alert
        fields = ("id", "kind", "title", "case", "subject_id", "due_on", "due_on_means", "todo", "opened_at")
        read_only_fields = fields

    def get_due_on_means(self, alert: Alert) -> str:
        return str(ALERT_DATE_LABEL[alert.kind])

    def get_todo(self, alert: Alert) -> str:
        return str(ALERT_TODO[alert.kind])


class AlertListApi(APIView):
    @extend_schema(
        operation_id="alerts_list",
        parameters=[OpenApiParameter("kind", OpenApiTypes.STR, enum=Alert.Kind.values)],
        responses={200: AlertOutputSerializer(many=True), 400: OpenApiResponse(description="Problem details")},
    )
    def get(self, request: Request) -> Response:
        kind = request.query_params.get("kind", "")
        if kind and kind not in Alert.Kind.values:
            return problem_response(
                status_code=400,
                title="Invalid input",
                errors=[{"field": "kind", "reason": f"Unknown alert. Use one of: {', '.join(Alert.Kind.values)}."}],
            )
        alerts = alerts_open_for(request.user)
        if kind:
            alerts = alerts.filter(kind=kind)
        paginator = LimitOffsetPagination()
        page = paginator.paginate_queryset(alerts, request, view=self) or []
        audit_record(
            actor=request.user,
            kind=AuditEvent.Kind.READ,
            action="alert.list",
            object_type="alert",
            purpose=f"{len(page)} results",
            channel="api",
        )
        return paginator.get_paginated_response(AlertOutputSerializer(page, many=True).data)
