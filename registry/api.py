"""The registry API: parse → service → serialize, one endpoint per operation."""

from __future__ import annotations

import re

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Organisation, Team
from accounts.policy import Action
from audit.models import AuditEvent
from audit.services import audit_record
from passage.problems import problem_response
from protection.stages import Stage
from registry import selectors, services
from registry.serializers import (
    CaseCreateInputSerializer,
    CaseDetailSerializer,
    CaseSummarySerializer,
    CaseUpdateInputSerializer,
    CustodyInputSerializer,
    CustodyOutputSerializer,
    TeamAssignInputSerializer,
    person_values,
)
from registry.services import AliasInput

_ETAG = re.compile(r'^(?:W/)?"v(\d+)"$')
PROBLEM = OpenApiResponse(description="Problem details (RFC 9457)")


def _etag(version: int) -> str:
    return f'"v{version}"'


def _detail_response(case_reference: str, request: Request, status_code: int = 200) -> Response:
    case = selectors.case_get(actor=request.user, reference=case_reference, channel="api")
    response = Response(CaseDetailSerializer(case).data, status=status_code)
    response["ETag"] = _etag(case.version)
    return response


class CaseListApi(APIView):
    @extend_schema(
        operation_id="cases_list",
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="Name (any script or spelling) or reference prefix"),
            OpenApiParameter("stage", OpenApiTypes.STR, enum=Stage.values),
            OpenApiParameter("organisation", OpenApiTypes.STR, description="Organisation slug"),
        ],
        responses={200: CaseSummarySerializer(many=True), 400: PROBLEM},
    )
    def get(self, request: Request) -> Response:
        stage = request.query_params.get("stage", "")
        if stage and stage not in Stage.values:
            return problem_response(
                status_code=400,
                title="Invalid input",
                errors=[{"field": "stage", "reason": f"Unknown stage. Use one of: {', '.join(Stage.values)}."}],
            )
        cases = selectors.case_list(
            actor=request.user,
            query=request.query_params.get("q", ""),
            stage=stage,
            organisation_slug=request.query_params.get("organisation", ""),
        )
        paginator = LimitOffsetPagination()
        ids = paginator.paginate_queryset(cases.values_list("pk", flat=True), request, view=self)
        page = selectors.case_rows(list(ids or []))
        audit_record(
            actor=request.user,
            kind=AuditEvent.Kind.READ,
            action="case.search" if request.query_params.get("q") else "case.list",
            object_type="case",
            purpose=f"{len(page or [])} results",
            channel="api",
        )
        return paginator.get_paginated_response(CaseSummarySerializer(page, many=True).data)

    @extend_schema(
        operation_id="cases_create",
        request=CaseCreateInputSerializer,
        responses={201: CaseDetailSerializer, 400: PROBLEM, 404: PROBLEM},
    )
    def post(self, request: Request) -> Response:
        serializer = CaseCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        organisation = get_object_or_404(Organisation, slug=data["organisation"])
        case = services.case_create(
            actor=request.user,
            organisation=organisation,
            person=person_values(data),
            aliases=[AliasInput(**alias) for alias in data.get("aliases", [])],
            reference=data.get("reference", ""),
            stage=data.get("stage", ""),
            entry_route=data.get("entry_route", "prisoner"),
            channel="api",
        )
        return _detail_response(case.reference, request, status.HTTP_201_CREATED)


class CaseDetailApi(APIView):
    @extend_schema(operation_id="cases_retrieve", responses={200: CaseDetailSerializer, 404: PROBLEM})
    def get(self, request: Request, reference: str) -> Response:
        case = selectors.case_get(actor=request.user, reference=reference, channel="api")
        services.case_record_view(actor=request.user, case=case, channel="api")
        response = Response(CaseDetailSerializer(case).data)
        response["ETag"] = _etag(case.version)
        return response

    @extend_schema(
        operation_id="cases_partial_update",
        request=CaseUpdateInputSerializer,
        parameters=[OpenApiParameter("If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False)],
        responses={200: CaseDetailSerializer, 400: PROBLEM, 404: PROBLEM, 409: PROBLEM, 428: PROBLEM},
    )
    def patch(self, request: Request, reference: str) -> Response:
        case = selectors.case_get(actor=request.user, reference=reference, action=Action.CHANGE, channel="api")
        serializer = CaseUpdateInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        expected = data.get("version")
        if_match = request.headers.get("If-Match", "")
        if if_match:
            match = _ETAG.match(if_match.strip())
            if match is None:
                return problem_response(
                    status_code=400,
                    title="Invalid input",
                    errors=[{"field": "If-Match", "reason": 'Send the ETag you received, such as "v3".'}],
                )
            expected = int(match.group(1))
        if expected is None:
            return problem_response(
                status_code=428,
                title="Precondition required",
                detail="Send the version you edited, as If-Match or as the 'version' field.",
                errors=[{"field": "version", "reason": "Required to prevent lost updates."}],
            )
        aliases = data.get("aliases")
        services.case_update(
            actor=request.user,
            case=case,
            expected_version=expected,
            person=person_values(data),
            aliases=[AliasInput(**alias) for alias in aliases] if aliases is not None else None,
            channel="api",
        )
        return _detail_response(case.reference, request)


class CaseTeamsApi(APIView):
    @extend_schema(
        operation_id="cases_teams_create",
        request=TeamAssignInputSerializer,
        responses={200: CaseDetailSerializer, 400: PROBLEM, 404: PROBLEM},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = selectors.case_get(actor=request.user, reference=reference, action=Action.ASSIGN, channel="api")
        serializer = TeamAssignInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        team = Team.objects.filter(pk=serializer.validated_data["team"]).first()
        if team is None:
            return problem_response(
                status_code=400, title="Invalid input", errors=[{"field": "team", "reason": "No such team."}]
            )
        services.case_assign_team(actor=request.user, case=case, team=team, channel="api")
        return _detail_response(case.reference, request)


class CaseTeamDeleteApi(APIView):
    @extend_schema(operation_id="cases_teams_destroy", responses={204: None, 400: PROBLEM, 404: PROBLEM})
    def delete(self, request: Request, reference: str, team_id: int) -> Response:
        case = selectors.case_get(actor=request.user, reference=reference, action=Action.ASSIGN, channel="api")
        assignment = case.assignments.filter(team_id=team_id).select_related("team").first()
        if assignment is None:
            return problem_response(status_code=404, title="Not found", detail="Not found.")
        services.case_unassign_team(actor=request.user, case=case, team=assignment.team, channel="api")
        return Response(status=status.HTTP_204_NO_CONTENT)


class CustodyCreateApi(APIView):
    @extend_schema(
        operation_id="cases_custody_create",
        request=CustodyInputSerializer,
        responses={201: CustodyOutputSerializer, 400: PROBLEM, 404: PROBLEM},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = selectors.case_get(actor=request.user, reference=reference, action=Action.CHANGE, channel="api")
        serializer = CustodyInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        record = services.custody_add(actor=request.user, case=case, channel="api", **serializer.validated_data)
        return Response(CustodyOutputSerializer(record).data, status=status.HTTP_201_CREATED)
