"""The consent API: list and record a case's consents, revoke one. Parse → service → serialize.

The case is reached through `registry.selectors.case_get` (404 without view access, 410 once erased);
writes ask the policy first (403 whatever the input) and the services ask again under the case lock."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.policy import may_record_consent
from consent import selectors, services
from consent.models import Consent
from consent.serializers import ConsentInputSerializer, ConsentRevokeInputSerializer, ConsentSerializer
from registry import selectors as registry_selectors
from registry.models import Case
from registry.services import case_record_view

ERRORS: dict[int, OpenApiResponse] = {
    400: OpenApiResponse(description="Problem details (RFC 9457) with `errors`: [{field, reason}]"),
    403: OpenApiResponse(description="Problem details (RFC 9457): your role may not do this"),
    404: OpenApiResponse(description="Problem details (RFC 9457): no such case, or no access to it"),
    410: OpenApiResponse(description="Problem details (RFC 9457): the person's data was erased"),
}
READ_ERRORS = {code: ERRORS[code] for code in (404, 410)}


def _case(request: Request, reference: str) -> Case:
    return registry_selectors.case_get(actor=request.user, reference=reference, channel="api")


def _role_check(request: Request, case: Case) -> None:
    if not may_record_consent(request.user, case):
        raise services.ConsentRoleRefused(gettext("Your role may not record or revoke consents on this case."))


class CaseConsentsApi(APIView):
    @extend_schema(
        operation_id="cases_consents_list",
        description="Every consent of the person, with whether it holds now (`state`) and why not. Audited.",
        responses={200: ConsentSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request: Request, reference: str) -> Response:
        case = _case(request, reference)
        consents = list(selectors.case_consents(case))
        case_record_view(actor=request.user, case=case, purpose="consents", channel="api")
        return Response(ConsentSerializer(consents, many=True).data)

    @extend_schema(
        operation_id="cases_consents_create",
        description="Record a consent for one purpose, given at the case's current stage.",
        request=ConsentInputSerializer,
        responses={201: ConsentSerializer, **ERRORS},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = _case(request, reference)
        _role_check(request, case)
        serializer = ConsentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        consent = services.consent_record(actor=request.user, case=case, **serializer.validated_data, channel="api")
        return Response(ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)


class CaseConsentRevokeApi(APIView):
    @extend_schema(
        operation_id="cases_consents_revoke",
        description="Revoke a consent: it stops holding at once, for every future use.",
        request=ConsentRevokeInputSerializer,
        responses={200: ConsentSerializer, **ERRORS},
    )
    def post(self, request: Request, reference: str, consent_id: int) -> Response:
        case = _case(request, reference)
        _role_check(request, case)
        consent = Consent.objects.filter(pk=consent_id, case=case).first()
        if consent is None:
            raise Http404(gettext("No consent found."))
        serializer = ConsentRevokeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        revoked = services.consent_revoke(
            actor=request.user,
            case=case,
            consent=consent,
            revocation_channel=serializer.validated_data["revocation_channel"],
            channel="api",
        )
        revoked = selectors.case_consents(case).get(pk=revoked.pk)
        return Response(ConsentSerializer(revoked).data)
