"""The API of possible duplicates: list, compare, merge, mark distinct."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from passage.errors import NotPermitted
from passage.problems import problem_response
from registry import duplicates
from registry.models import DuplicateCandidate

PROBLEM = OpenApiResponse(description="Problem details (RFC 9457)")


class DuplicateSerializer(serializers.ModelSerializer[DuplicateCandidate]):
    case_a = serializers.CharField(source="person_a.case.reference", read_only=True)
    case_b = serializers.CharField(source="person_b.case.reference", read_only=True)
    decided_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = DuplicateCandidate
        fields = (
            "id",
            "case_a",
            "case_b",
            "score",
            "name_score",
            "date_of_birth_agrees",
            "source",
            "status",
            "found_at",
            "decided_at",
        )
        read_only_fields = fields


class FieldComparisonSerializer(serializers.Serializer[dict[str, object]]):
    """One row of the comparison (documents the shape; rows are built from `FieldComparison`)."""

    field = serializers.CharField()
    title = serializers.CharField(help_text="The field's name for people")
    left = serializers.CharField(allow_blank=True)
    right = serializers.CharField(allow_blank=True)
    agrees = serializers.BooleanField(allow_null=True)


class DuplicateDetailSerializer(DuplicateSerializer):
    comparison = serializers.SerializerMethodField()

    class Meta(DuplicateSerializer.Meta):
        fields = (*DuplicateSerializer.Meta.fields, "comparison")  # type: ignore[assignment]
        read_only_fields = fields  # type: ignore[assignment]

    @extend_schema_field(FieldComparisonSerializer(many=True))
    def get_comparison(self, pair: DuplicateCandidate) -> list[dict[str, object]]:
        return [
            {"field": row.field, "title": row.label, "left": row.left, "right": row.right, "agrees": row.agrees}
            for row in self.context["comparison"]
        ]


class MergeInputSerializer(serializers.Serializer[dict[str, str]]):
    survivor = serializers.CharField(help_text="Reference of the case to keep; the other is merged into it.")


class DuplicateListApi(APIView):
    @extend_schema(
        operation_id="duplicates_list",
        parameters=[OpenApiParameter("status", OpenApiTypes.STR, enum=DuplicateCandidate.Status.values)],
        responses={200: DuplicateSerializer(many=True), 400: PROBLEM},
    )
    def get(self, request: Request) -> Response:
        status = request.query_params.get("status", DuplicateCandidate.Status.OPEN)
        if status not in DuplicateCandidate.Status.values:
            return problem_response(
                status_code=400,
                title="Invalid input",
                errors=[
                    {
                        "field": "status",
                        "reason": f"Unknown status. Use one of: {', '.join(DuplicateCandidate.Status.values)}.",
                    }
                ],
            )
        paginator = LimitOffsetPagination()
        rows = paginator.paginate_queryset(
            duplicates.duplicates_visible_to(request.user, status=status), request, view=self
        )
        return paginator.get_paginated_response(DuplicateSerializer(rows, many=True).data)


class DuplicateDetailApi(APIView):
    @extend_schema(operation_id="duplicates_retrieve", responses={200: DuplicateDetailSerializer, 404: PROBLEM})
    def get(self, request: Request, candidate_id: int) -> Response:
        pair = duplicates.duplicate_get(request.user, candidate_id)
        rows = duplicates.duplicate_compare(request.user, pair, channel="api")
        return Response(DuplicateDetailSerializer(pair, context={"comparison": rows}).data)


class DuplicateDistinctApi(APIView):
    @extend_schema(
        operation_id="duplicates_mark_distinct",
        request=None,
        responses={200: DuplicateSerializer, 404: PROBLEM, 409: PROBLEM},
    )
    def post(self, request: Request, candidate_id: int) -> Response:
        pair = duplicates.duplicate_get(request.user, candidate_id)
        decided = duplicates.duplicate_mark_distinct(actor=request.user, candidate=pair, channel="api")
        return Response(DuplicateSerializer(decided).data)


class DuplicateMergeApi(APIView):
    @extend_schema(
        operation_id="duplicates_merge",
        request=MergeInputSerializer,
        responses={200: DuplicateSerializer, 400: PROBLEM, 404: PROBLEM, 409: PROBLEM},
    )
    def post(self, request: Request, candidate_id: int) -> Response:
        pair = duplicates.duplicate_get(request.user, candidate_id)
        if not duplicates.may_decide(request.user, pair):
            raise NotPermitted(_("No such possible duplicate."))
        data = MergeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        duplicates.duplicate_merge(
            actor=request.user, candidate=pair, survivor_reference=data.validated_data["survivor"], channel="api"
        )
        pair.refresh_from_db()
        return Response(DuplicateSerializer(pair).data)
