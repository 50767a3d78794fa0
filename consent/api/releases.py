"""The API of the disclosure check, media requests, releases and takedown follow-ups.
Parse → service → serialize; a refused step answers 409 with every unmet condition."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.policy import (
    may_check_disclosure,
    may_read_release_text,
    release_access_organisations,
    release_organisations,
)
from consent import selectors
from consent.api.common import ERRORS, READ_ERRORS
from consent.models import MediaRequest, Release, ReleaseFinding
from consent.serializers import (
    DisclosureCheckInputSerializer,
    DisclosureCheckSerializer,
    FindingDismissInputSerializer,
    MediaRequestCloseInputSerializer,
    MediaRequestDetailSerializer,
    MediaRequestInputSerializer,
    MediaRequestPersonInputSerializer,
    MediaRequestSerializer,
    ReleaseDetailSerializer,
    ReleaseInputSerializer,
    ReleaseRedactInputSerializer,
    ReleaseSerializer,
    ReleaseUpdateInputSerializer,
    ReviewInputSerializer,
    TakedownInputSerializer,
    TakedownSerializer,
    shown_finding_data,
)
from consent.services import media as media_services
from consent.services import releases as release_services
from consent.services.disclosure import disclosure_check
from protection.selectors import unmet_text


def _authors_organisation(request: Request) -> Any:
    organisations = release_organisations(request.user)
    if not organisations:
        raise PermissionDenied(gettext("Your role may not prepare media requests or releases."))
    return organisations[0]


def _release_reader(request: Request) -> None:
    if not release_access_organisations(request.user):
        raise PermissionDenied(gettext("Your role has no media requests or releases."))


# --- The disclosure check -----------------------------------------------------------------------


class DisclosureCheckApi(APIView):
    @extend_schema(
        operation_id="disclosure_check",
        description=(
            "Check an outgoing text: every finding that could identify a protected person (span, kind, "
            "whether it blocks, the proposed redaction, the cases it may identify that you may see) and the "
            "redacted text. The text is not kept; the check is audited on each case whose person it names."
        ),
        request=DisclosureCheckInputSerializer,
        responses={200: DisclosureCheckSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        if not may_check_disclosure(request.user):
            raise PermissionDenied(gettext("Your role may not run the disclosure check."))
        serializer = DisclosureCheckInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        cases = release_services.cases_from_references(request.user, serializer.validated_data["cases"])
        check = disclosure_check(actor=request.user, text=serializer.validated_data["text"], cases=cases, channel="api")
        return Response(
            {
                "is_clean": check.is_clean,
                "findings": [shown_finding_data(shown) for shown in check.findings],
                "redacted_text": check.redacted_text,
            }
        )


# --- Media requests -------------------------------------------------------------------------------


def _media_request(request: Request, pk: int) -> MediaRequest:
    _release_reader(request)
    row = selectors.media_requests_for(request.user).prefetch_related("persons__case").filter(pk=pk).first()
    if row is None:
        raise Http404(gettext("No media request found."))
    return row


def _media_request_data(request: Request, row: MediaRequest) -> dict[str, Any]:
    row = selectors.media_requests_for(request.user).prefetch_related("persons__case").get(pk=row.pk)
    cases = media_services.media_request_cases(row, with_withdrawn=True)
    if may_read_release_text(request.user, created_by_id=row.created_by_id, cases=cases):
        return dict(MediaRequestDetailSerializer(row).data)
    return dict(MediaRequestSerializer(row).data)


class MediaRequestsApi(APIView):
    @extend_schema(
        operation_id="media_requests_list",
        description="The media requests of your organisations.",
        responses={200: MediaRequestSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request: Request) -> Response:
        _release_reader(request)
        rows = selectors.media_requests_for(request.user).prefetch_related("persons__case")
        return Response(MediaRequestSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="media_requests_create",
        request=MediaRequestInputSerializer,
        responses={201: MediaRequestDetailSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        organisation = _authors_organisation(request)
        serializer = MediaRequestInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        row = media_services.media_request_create(
            actor=request.user,
            organisation=organisation,
            outlet=data["outlet"],
            purposes=data["purposes"],
            description=data["description"],
            outlet_contact=data["outlet_contact"],
            case_references=data["cases"],
            channel="api",
        )
        return Response(_media_request_data(request, row), status=status.HTTP_201_CREATED)


class MediaRequestDetailApi(APIView):
    @extend_schema(
        operation_id="media_requests_detail",
        description="A media request; what it asks only for its author and those who may see every person.",
        responses={200: MediaRequestDetailSerializer, **READ_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        row = _media_request(request, pk)
        data = _media_request_data(request, row)
        if "description" in data:
            media_services.media_request_record_view(actor=request.user, media_request=row, channel="api")
        return Response(data)


class MediaRequestPersonsApi(APIView):
    @extend_schema(
        operation_id="media_requests_persons_add",
        request=MediaRequestPersonInputSerializer,
        responses={200: MediaRequestSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        row = _media_request(request, pk)
        serializer = MediaRequestPersonInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        media_services.media_request_add_person(
            actor=request.user, media_request=row, reference=serializer.validated_data["reference"], channel="api"
        )
        return Response(_media_request_data(request, row))


class MediaRequestSubmitApi(APIView):
    @extend_schema(
        operation_id="media_requests_submit", request=None, responses={200: MediaRequestSerializer, **ERRORS}
    )
    def post(self, request: Request, pk: int) -> Response:
        row = media_services.media_request_submit(
            actor=request.user, media_request=_media_request(request, pk), channel="api"
        )
        return Response(_media_request_data(request, row))


class MediaRequestReviewApi(APIView):
    @extend_schema(
        operation_id="media_requests_review",
        description="The separate review: 409 lists every missing consent and every reason the reviewer may not.",
        request=ReviewInputSerializer,
        responses={200: MediaRequestSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        row = _media_request(request, pk)
        serializer = ReviewInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row = media_services.media_request_review(
            actor=request.user,
            media_request=row,
            approve=serializer.validated_data["approve"],
            reasons=serializer.validated_data["reasons"],
            channel="api",
        )
        return Response(_media_request_data(request, row))


class MediaRequestCloseApi(APIView):
    @extend_schema(
        operation_id="media_requests_close",
        request=MediaRequestCloseInputSerializer,
        responses={200: MediaRequestSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        row = _media_request(request, pk)
        serializer = MediaRequestCloseInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row = media_services.media_request_close(
            actor=request.user, media_request=row, outcome=serializer.validated_data["outcome"], channel="api"
        )
        return Response(_media_request_data(request, row))


# --- Releases -------------------------------------------------------------------------------------


def _release(request: Request, pk: int) -> Release:
    _release_reader(request)
    row = selectors.releases_for(request.user).prefetch_related("release_cases__case").filter(pk=pk).first()
    if row is None:
        raise Http404(gettext("No release found."))
    return row


def _release_data(request: Request, row: Release, *, audit: bool = False) -> dict[str, Any]:
    row = (
        selectors.releases_for(request.user)
        .prefetch_related("release_cases__case")
        .select_related("data_key", "recipient_organisation")
        .get(pk=row.pk)
    )
    cases = release_services.release_cases(row)
    if row.data_key_id is None or not may_read_release_text(request.user, created_by_id=row.created_by_id, cases=cases):
        return dict(ReleaseSerializer(row).data)
    step = {"draft": "submit", "in_review": "approve", "approved": "release"}.get(row.status)
    unmet = release_services.release_unmet(request.user, row, step) if step else []
    if audit:
        release_services.release_record_view(actor=request.user, release=row, channel="api")
    context = {"unmet": [{"rule": u.rule, "message": unmet_text(u)} for u in unmet]}
    return dict(ReleaseDetailSerializer(row, context=context).data)


class ReleasesApi(APIView):
    @extend_schema(
        operation_id="releases_list",
        description="The releases of your organisations (without their text).",
        responses={200: ReleaseSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request: Request) -> Response:
        _release_reader(request)
        rows = selectors.releases_for(request.user).prefetch_related("release_cases__case")
        status_filter = request.query_params.get("status", "")
        if status_filter in Release.Status.values:
            rows = rows.filter(status=status_filter)
        return Response(ReleaseSerializer(rows[:500], many=True).data)

    @extend_schema(
        operation_id="releases_create",
        description="Prepare a release; its text is checked at once (the findings come back).",
        request=ReleaseInputSerializer,
        responses={201: ReleaseDetailSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        organisation = _authors_organisation(request)
        serializer = ReleaseInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        media_request = None
        if data["media_request"] is not None:
            media_request = selectors.media_requests_for(request.user).filter(pk=data["media_request"]).first()
            if media_request is None:
                raise Http404(gettext("No media request found."))
        row = release_services.release_create(
            actor=request.user,
            organisation=organisation,
            kind=data["kind"],
            purpose=data["purpose"],
            title=data["title"],
            recipient=data["recipient"],
            text=data["text"],
            case_references=data["cases"],
            media_request=media_request,
            recipient_organisation=data["recipient_organisation"],
            recipient_state=data["recipient_state"],
            channel="api",
        )
        return Response(_release_data(request, row), status=status.HTTP_201_CREATED)


class ReleaseDetailApi(APIView):
    @extend_schema(
        operation_id="releases_detail",
        description="A release with its text, the findings of its check and what its next step needs. Audited.",
        responses={200: ReleaseDetailSerializer, **READ_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(_release_data(request, _release(request, pk), audit=True))

    @extend_schema(
        operation_id="releases_update",
        description="Change a draft; a changed text is checked again. `version` guards against lost edits.",
        request=ReleaseUpdateInputSerializer,
        responses={200: ReleaseDetailSerializer, **ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        row = _release(request, pk)
        serializer = ReleaseUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = {k: v for k, v in serializer.validated_data.items() if k != "version"}
        row = release_services.release_update(
            actor=request.user,
            release=row,
            values=values,
            expected_version=serializer.validated_data["version"],
            channel="api",
        )
        return Response(_release_data(request, row))


class ReleaseStepApi(APIView):
    """check, submit, release, cancel: steps without input."""

    step = ""

    @extend_schema(request=None, responses={200: ReleaseDetailSerializer, **ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        row = _release(request, pk)
        action = {
            "check": release_services.release_check,
            "submit": release_services.release_submit,
            "release": release_services.release_mark_released,
            "cancel": release_services.release_cancel,
        }[self.step]
        row = action(actor=request.user, release=row, channel="api")
        return Response(_release_data(request, row))


class ReleaseRedactApi(APIView):
    @extend_schema(
        operation_id="releases_redact",
        description="Replace findings by their labels (by default every open finding that blocks) and check again.",
        request=ReleaseRedactInputSerializer,
        responses={200: ReleaseDetailSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        row = _release(request, pk)
        serializer = ReleaseRedactInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row = release_services.release_redact(
            actor=request.user, release=row, finding_ids=serializer.validated_data["findings"], channel="api"
        )
        return Response(_release_data(request, row))


class ReleaseFindingDismissApi(APIView):
    @extend_schema(
        operation_id="releases_findings_dismiss",
        description="Mark a finding as identifying no one, with the reason (the review sees it).",
        request=FindingDismissInputSerializer,
        responses={200: ReleaseDetailSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int, finding_id: int) -> Response:
        row = _release(request, pk)
        finding = ReleaseFinding.objects.filter(release=row, pk=finding_id).first()
        if finding is None:
            raise Http404(gettext("No finding found."))
        serializer = FindingDismissInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        release_services.release_finding_dismiss(
            actor=request.user, release=row, finding=finding, reason=serializer.validated_data["reason"], channel="api"
        )
        return Response(_release_data(request, row))


class ReleaseReviewApi(APIView):
    @extend_schema(
        operation_id="releases_review",
        description="The separate review (GC III Art. 13): approve the text as it stands, or refuse with reasons.",
        request=ReviewInputSerializer,
        responses={200: ReleaseDetailSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        row = _release(request, pk)
        serializer = ReviewInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row = release_services.release_review(
            actor=request.user,
            release=row,
            approve=serializer.validated_data["approve"],
            note=serializer.validated_data["reasons"],
            channel="api",
        )
        return Response(_release_data(request, row))


# --- Takedown follow-ups --------------------------------------------------------------------------


class TakedownsApi(APIView):
    @extend_schema(operation_id="takedowns_list", responses={200: TakedownSerializer(many=True), **READ_ERRORS})
    def get(self, request: Request) -> Response:
        _release_reader(request)
        return Response(TakedownSerializer(selectors.takedowns_for(request.user), many=True).data)


class TakedownDetailApi(APIView):
    @extend_schema(
        operation_id="takedowns_update", request=TakedownInputSerializer, responses={200: TakedownSerializer, **ERRORS}
    )
    def post(self, request: Request, pk: int) -> Response:
        _release_reader(request)
        takedown = selectors.takedowns_for(request.user).filter(pk=pk).first()
        if takedown is None:
            raise Http404(gettext("No follow-up found."))
        serializer = TakedownInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row = release_services.takedown_update(
            actor=request.user,
            takedown=takedown,
            status=serializer.validated_data["status"],
            notes=serializer.validated_data["notes"],
            channel="api",
        )
        return Response(TakedownSerializer(row).data)
