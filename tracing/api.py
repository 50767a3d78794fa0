"""The tracing API: a case's family members, tracing requests, the search and the review of candidates.
Parse → service → serialize, one endpoint per operation; errors are problem details (RFC 9457).

Family members are reached through their case (404 without view access, 410 once erased); a relative's
location is never part of any response or input here (tracing.models.NEVER_EXPORTED). Tracing endpoints
answer 403 to those who trace nowhere and 404 for a request they may not see."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Organisation
from accounts.policy import may_record_family_member, may_trace, tracing_organisations
from audit.models import AuditEvent
from audit.services import audit_record
from passage.problems import problem_response
from registry import selectors as registry_selectors
from registry.models import Case
from registry.services import case_record_view
from tracing import selectors, services
from tracing.models import TracingMatch, TracingRequest
from tracing.serializers import (
    FamilyMemberInputSerializer,
    FamilyMemberSerializer,
    FamilyMemberUpdateInputSerializer,
    TracingMatchSerializer,
    TracingRequestDetailSerializer,
    TracingRequestInputSerializer,
    TracingRequestSerializer,
    TracingReviewInputSerializer,
    TracingSearchResultSerializer,
)

ERRORS: dict[int, OpenApiResponse] = {
    400: OpenApiResponse(description="Problem details (RFC 9457) with `errors`: [{field, reason}]"),
    403: OpenApiResponse(description="Problem details (RFC 9457): your role may not do this"),
    404: OpenApiResponse(description="Problem details (RFC 9457): not found, or no access to it"),
    410: OpenApiResponse(description="Problem details (RFC 9457): the person's data was erased"),
}
READ_ERRORS = {code: ERRORS[code] for code in (403, 404, 410)}


def _case(request: Request, reference: str) -> Case:
    return registry_selectors.case_get(actor=request.user, reference=reference, channel="api")


def _family_role_check(request: Request, case: Case) -> None:
    if not may_record_family_member(request.user, case):
        raise services.TracingRoleRefused(gettext("Your role may not record family members on this case."))


# --- Family members -----------------------------------------------------------------------------


class CaseFamilyMembersApi(APIView):
    @extend_schema(
        operation_id="cases_family_members_list",
        description="The person's family members. Where they live is never exported. Audited.",
        responses={200: FamilyMemberSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request: Request, reference: str) -> Response:
        case = _case(request, reference)
        members = list(selectors.case_family_members(case))
        case_record_view(actor=request.user, case=case, purpose="family members", channel="api")
        return Response(FamilyMemberSerializer(members, many=True).data)

    @extend_schema(
        operation_id="cases_family_members_create",
        request=FamilyMemberInputSerializer,
        responses={201: FamilyMemberSerializer, **ERRORS},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = _case(request, reference)
        _family_role_check(request, case)
        serializer = FamilyMemberInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        member = services.family_member_add(
            actor=request.user, case=case, values=dict(serializer.validated_data), channel="api"
        )
        return Response(FamilyMemberSerializer(member).data, status=status.HTTP_201_CREATED)


class CaseFamilyMemberApi(APIView):
    @extend_schema(
        operation_id="cases_family_members_partial_update",
        request=FamilyMemberUpdateInputSerializer,
        responses={200: FamilyMemberSerializer, **ERRORS},
    )
    def patch(self, request: Request, reference: str, member_id: int) -> Response:
        case = _case(request, reference)
        _family_role_check(request, case)
        member = selectors.case_family_members(case).filter(pk=member_id).first()
        if member is None:
            raise Http404(gettext("No family member found."))
        serializer = FamilyMemberUpdateInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        updated = services.family_member_update(
            actor=request.user, case=case, member=member, values=dict(serializer.validated_data), channel="api"
        )
        return Response(FamilyMemberSerializer(updated).data)


# --- Tracing requests ---------------------------------------------------------------------------


def _tracer_check(request: Request) -> None:
    if not may_trace(request.user):
        raise services.TracingRoleRefused(gettext("Your role may not trace families."))


def _request(request: Request, request_id: int) -> TracingRequest:
    _tracer_check(request)
    return selectors.tracing_request_get(actor=request.user, request_id=request_id)


def _organisation(request: Request, slug: str) -> Organisation | Response:
    organisations = tracing_organisations(request.user)
    if slug:
        chosen = next((o for o in organisations if o.slug == slug), None)
        if chosen is None:
            raise services.TracingRoleRefused(gettext("Your role may not trace families in this organisation."))
        return chosen
    if len(organisations) == 1:
        return organisations[0]
    return problem_response(
        status_code=400,
        title="Invalid input",
        detail="One or more fields are invalid.",
        errors=[{"field": "organisation", "reason": "You trace in several organisations: name one."}],
    )


class TracingRequestsApi(APIView):
    @extend_schema(
        operation_id="tracing_requests_list",
        description="The tracing requests you may see, newest change first (at most 200).",
        responses={200: TracingRequestSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request: Request) -> Response:
        _tracer_check(request)
        rows = list(
            selectors.tracing_requests_visible_to(request.user)
            .select_related("data_key", "organisation", "case", "created_by")
            .order_by("-updated_at", "-pk")[:200]
        )
        audit_record(
            actor=request.user,
            kind=AuditEvent.Kind.READ,
            action="tracing_request.list",
            object_type="tracingrequest",
            purpose=f"{len(rows)} requests",
            channel="api",
        )
        return Response(TracingRequestSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="tracing_requests_create",
        description="Open a tracing request: a relative seeks a person, or a registered person seeks a relative.",
        request=TracingRequestInputSerializer,
        responses={201: TracingRequestDetailSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        _tracer_check(request)
        serializer = TracingRequestInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organisation = _organisation(request, data.pop("organisation", ""))
        if isinstance(organisation, Response):
            return organisation
        reference = data.pop("case", "").strip()
        direction = data.pop("direction")
        case = _case(request, reference) if reference else None
        created = services.tracing_request_create(
            actor=request.user, organisation=organisation, direction=direction, case=case, values=data, channel="api"
        )
        created = selectors.tracing_request_get(actor=request.user, request_id=created.pk)
        return Response(
            TracingRequestDetailSerializer(created, context={"matches": []}).data, status=status.HTTP_201_CREATED
        )


def _detail(request: Request, tracing_request: TracingRequest) -> Response:
    matches = list(selectors.tracing_matches_shown(actor=request.user, tracing_request=tracing_request))
    for match in matches:
        match.request = tracing_request
    services.tracing_request_record_view(
        actor=request.user, tracing_request=tracing_request, purpose="match review", channel="api"
    )
    return Response(TracingRequestDetailSerializer(tracing_request, context={"matches": matches}).data)


class TracingRequestApi(APIView):
    @extend_schema(
        operation_id="tracing_requests_retrieve",
        description="The request and its candidates (only persons holding a live tracing consent). Audited.",
        responses={200: TracingRequestDetailSerializer, **READ_ERRORS},
    )
    def get(self, request: Request, request_id: int) -> Response:
        return _detail(request, _request(request, request_id))


class TracingRequestSearchApi(APIView):
    @extend_schema(
        operation_id="tracing_requests_search",
        description="Search for the person sought among the persons who consented to be traced.",
        request=None,
        responses={200: TracingSearchResultSerializer, **ERRORS},
    )
    def post(self, request: Request, request_id: int) -> Response:
        tracing_request = _request(request, request_id)
        found = services.tracing_search(actor=request.user, tracing_request=tracing_request, channel="api")
        tracing_request.refresh_from_db(fields=["status", "updated_at"])
        for match in found:
            match.request = tracing_request
        return Response(TracingSearchResultSerializer({"status": tracing_request.status, "matches": found}).data)


def _review(request: Request, request_id: int, match_id: int, *, confirm: bool) -> Response:
    tracing_request = _request(request, request_id)
    match = TracingMatch.objects.filter(pk=match_id, request=tracing_request).first()
    if match is None:
        raise Http404(gettext("No match found."))
    serializer = TracingReviewInputSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    review = services.tracing_match_confirm if confirm else services.tracing_match_reject
    reviewed = review(
        actor=request.user,
        tracing_request=tracing_request,
        match=match,
        note=serializer.validated_data["note"],
        channel="api",
    )
    row = selectors.tracing_matches_shown(actor=request.user, tracing_request=tracing_request).get(pk=reviewed.pk)
    row.request = tracing_request
    return Response(TracingMatchSerializer(row).data)


class TracingMatchConfirmApi(APIView):
    @extend_schema(
        operation_id="tracing_matches_confirm",
        description="Confirm a candidate as the person sought; the request becomes confirmed.",
        request=TracingReviewInputSerializer,
        responses={200: TracingMatchSerializer, **ERRORS},
    )
    def post(self, request: Request, request_id: int, match_id: int) -> Response:
        return _review(request, request_id, match_id, confirm=True)


class TracingMatchRejectApi(APIView):
    @extend_schema(
        operation_id="tracing_matches_reject",
        description="Reject a candidate; later searches will not propose them again.",
        request=TracingReviewInputSerializer,
        responses={200: TracingMatchSerializer, **ERRORS},
    )
    def post(self, request: Request, request_id: int, match_id: int) -> Response:
        return _review(request, request_id, match_id, confirm=False)
