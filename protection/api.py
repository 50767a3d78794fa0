"""The lifecycle API: transitions, the records the guards read, the history and the forwarding queue.
Parse → service → serialize, one endpoint per operation.

Every endpoint reaches the case through `registry.selectors.case_get` (404 without view access, 410
once the person is erased). Writes ask the policy for the caller's role first (403 whatever the
input), and the services ask again under the case lock. Reads that return protected (encrypted)
data are audited with their purpose; interview content goes only to those the policy lets read it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.policy import RECORD_ROLES, actor_memberships, may_read_interview_content, records_allowed
from protection import selectors, services
from protection.models import (
    Acceptance,
    CaseEvent,
    DeathRecord,
    Extension,
    Interview,
    NibRecord,
    PathwayProgress,
    Proceedings,
    ProtectionRequest,
    RiskAssessment,
    Transfer,
)
from protection.serializers import (
    AcceptanceInputSerializer,
    AcceptanceSerializer,
    DeathRecordInputSerializer,
    DeathRecordSerializer,
    EventInputSerializer,
    EventSerializer,
    ExtensionInputSerializer,
    ExtensionSerializer,
    HistorySerializer,
    InterviewContentSerializer,
    InterviewInputSerializer,
    InterviewSerializer,
    NibRecordInputSerializer,
    NibRecordSerializer,
    NotificationSerializer,
    PathwayProgressInputSerializer,
    PathwayProgressSerializer,
    ProceedingsCloseInputSerializer,
    ProceedingsInputSerializer,
    ProceedingsSerializer,
    ProtectionRequestInputSerializer,
    ProtectionRequestSerializer,
    RiskAssessmentInputSerializer,
    RiskAssessmentSerializer,
    TransferInputSerializer,
    TransferSerializer,
    TransitionInputSerializer,
    TransitionListSerializer,
    TransitionResultSerializer,
)
from protection.services import RoleRefused
from registry import selectors as registry_selectors
from registry.models import Case
from registry.services import case_record_view

PROBLEM = OpenApiResponse(description="Problem details (RFC 9457)")
ERRORS: dict[int, OpenApiResponse] = {
    400: OpenApiResponse(description="Problem details (RFC 9457) with `errors`: [{field, reason}]"),
    403: OpenApiResponse(description="Problem details (RFC 9457): your role may not do this"),
    404: OpenApiResponse(description="Problem details (RFC 9457): no such case, or no access to it"),
    410: OpenApiResponse(description="Problem details (RFC 9457): the person's data was erased"),
}
READ_ERRORS = {code: ERRORS[code] for code in (404, 410)}
REFUSED = OpenApiResponse(
    description="Problem details (RFC 9457) with `unmet`: [{rule, message}] (every unmet condition), `from`, `to`"
)
Service = Callable[..., Any]


def _case(request: Request, reference: str) -> Case:
    return registry_selectors.case_get(actor=request.user, reference=reference, channel="api")


def _role_check(request: Request, case: Case, *records: str) -> None:
    """403 unless the caller may record one of `records` (keys of accounts.policy.RECORD_ROLES)."""
    if not records_allowed(request.user, case) & set(records):
        raise RoleRefused(gettext("Your role may not record this on the case."))


def _parse(serializer_class: type[serializers.Serializer[Any]], request: Request, **context: Any) -> dict[str, Any]:
    serializer = serializer_class(data=request.data, context=context)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _rows(model: type[Model], case: Case) -> QuerySet[Any]:
    """A case's records of one kind, with what decrypting and serializing them needs."""
    return model._default_manager.filter(case=case).select_related("recorded_by", "person__data_key")


def _audited_read(request: Request, case: Case, purpose: str) -> None:
    case_record_view(actor=request.user, case=case, purpose=purpose, channel="api")


def _list(
    request: Request,
    reference: str,
    *,
    model: type[Model],
    output: type[serializers.Serializer[Any]],
    purpose: str = "",
) -> Response:
    case = _case(request, reference)
    rows = list(_rows(model, case))
    if purpose:
        _audited_read(request, case, purpose)
    return Response(output(rows, many=True).data)


def _create(
    request: Request,
    reference: str,
    *,
    record: str,
    parse: type[serializers.Serializer[Any]],
    service: Service,
    output: type[serializers.Serializer[Any]],
) -> Response:
    case = _case(request, reference)
    _role_check(request, case, record)
    row = service(actor=request.user, case=case, values=_parse(parse, request), channel="api")
    return Response(output(row).data, status=status.HTTP_201_CREATED)


def _single(
    request: Request,
    reference: str,
    *,
    model: type[Model],
    output: type[serializers.Serializer[Any]],
    purpose: str = "",
) -> Response:
    case = _case(request, reference)
    row = _rows(model, case).first()
    if row is None:
        raise Http404(gettext("Nothing recorded yet."))
    if purpose:
        _audited_read(request, case, purpose)
    return Response(output(row).data)


def _replace(
    request: Request,
    reference: str,
    *,
    model: type[Model],
    record: str,
    parse: type[serializers.Serializer[Any]],
    service: Service,
    output: type[serializers.Serializer[Any]],
) -> Response:
    """Create or replace a case's one record of a kind: 201 when it is new, 200 when replaced."""
    case = _case(request, reference)
    _role_check(request, case, record)
    values = _parse(parse, request)
    existed = model._default_manager.filter(case=case).exists()
    row = service(actor=request.user, case=case, values=values, channel="api")
    return Response(output(row).data, status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)


# --- Transitions --------------------------------------------------------------------------------


class CaseTransitionsApi(APIView):
    @extend_schema(
        operation_id="cases_transitions_list",
        description="The transitions out of the current stage, whether you may make each now, and why not.",
        responses={200: TransitionListSerializer, **READ_ERRORS},
    )
    def get(self, request: Request, reference: str) -> Response:
        case = _case(request, reference)
        options = selectors.transitions_open(actor=request.user, case=case)
        data = {"stage": case.stage, "version": case.version, "transitions": [o.as_json() for o in options]}
        return Response(TransitionListSerializer(data).data)

    @extend_schema(
        operation_id="cases_transitions_create",
        description="Move the case to another stage. Refused with 409 and every unmet condition.",
        request=TransitionInputSerializer,
        responses={200: TransitionResultSerializer, 409: REFUSED, **ERRORS},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = _case(request, reference)
        data = _parse(TransitionInputSerializer, request)
        moved = services.case_transition(actor=request.user, case=case, to=data["to"], note=data["note"], channel="api")
        return Response(TransitionResultSerializer(moved).data)


# --- Interviews ---------------------------------------------------------------------------------


def _interview_output(request: Request, case: Case) -> type[InterviewSerializer]:
    return InterviewContentSerializer if may_read_interview_content(request.user, case) else InterviewSerializer


class CaseInterviewsApi(APIView):
    @extend_schema(
        operation_id="cases_interviews_list",
        description=(
            "Every interview and statement, with whether it qualifies for wish verification. What was said "
            "(reasons, wish, destination, place, who was present, interpreter, fitness note, source) is "
            "included only for the protection body and the case's supervisors, and that read is audited."
        ),
        responses={200: InterviewContentSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request: Request, reference: str) -> Response:
        case = _case(request, reference)
        output = _interview_output(request, case)
        # The person's key is needed by every reader: whether an interview qualifies depends on its interpreter.
        interviews = list(selectors.case_interviews(case).select_related("person__data_key"))
        if output is InterviewContentSerializer:
            _audited_read(request, case, "interviews")
        return Response(output(interviews, many=True).data)

    @extend_schema(
        operation_id="cases_interviews_create",
        description="Record an interview held by you, or an external statement (letter, press).",
        request=InterviewInputSerializer,
        responses={201: InterviewContentSerializer, **ERRORS},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = _case(request, reference)
        _role_check(request, case, *(f"interview.{kind}" for kind in Interview.Kind.values))
        values = _parse(InterviewInputSerializer, request)
        interview = services.interview_record(actor=request.user, case=case, values=values, channel="api")
        return Response(_interview_output(request, case)(interview).data, status=status.HTTP_201_CREATED)


# --- The Art. 122 record ------------------------------------------------------------------------


class CaseNibRecordApi(APIView):
    @extend_schema(
        operation_id="cases_nib_record_retrieve",
        responses={200: NibRecordSerializer, **READ_ERRORS},
    )
    def get(self, request: Request, reference: str) -> Response:
        return _single(request, reference, model=NibRecord, output=NibRecordSerializer, purpose="nib_record")

    @extend_schema(
        operation_id="cases_nib_record_update",
        description="Create or replace the Art. 122 record: each field filled or named in `not_available`.",
        request=NibRecordInputSerializer,
        responses={200: NibRecordSerializer, 201: NibRecordSerializer, **ERRORS},
    )
    def put(self, request: Request, reference: str) -> Response:
        return _replace(
            request,
            reference,
            model=NibRecord,
            record="nib_record",
            parse=NibRecordInputSerializer,
            service=services.nib_record_save,
            output=NibRecordSerializer,
        )


# --- Risk, request, acceptance ------------------------------------------------------------------


class CaseRiskAssessmentsApi(APIView):
    @extend_schema(
        operation_id="cases_risk_assessments_list", responses={200: RiskAssessmentSerializer(many=True), **READ_ERRORS}
    )
    def get(self, request: Request, reference: str) -> Response:
        return _list(
            request, reference, model=RiskAssessment, output=RiskAssessmentSerializer, purpose="risk_assessments"
        )

    @extend_schema(
        operation_id="cases_risk_assessments_create",
        description="Record a non-refoulement assessment for one state.",
        request=RiskAssessmentInputSerializer,
        responses={201: RiskAssessmentSerializer, **ERRORS},
    )
    def post(self, request: Request, reference: str) -> Response:
        return _create(
            request,
            reference,
            record="risk_assessment",
            parse=RiskAssessmentInputSerializer,
            service=services.risk_assessment_record,
            output=RiskAssessmentSerializer,
        )


class CaseProtectionRequestsApi(APIView):
    @extend_schema(
        operation_id="cases_protection_requests_list",
        responses={200: ProtectionRequestSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request: Request, reference: str) -> Response:
        return _list(
            request,
            reference,
            model=ProtectionRequest,
            output=ProtectionRequestSerializer,
            purpose="protection_requests",
        )

    @extend_schema(
        operation_id="cases_protection_requests_create",
        request=ProtectionRequestInputSerializer,
        responses={201: ProtectionRequestSerializer, **ERRORS},
    )
    def post(self, request: Request, reference: str) -> Response:
        return _create(
            request,
            reference,
            record="protection_request",
            parse=ProtectionRequestInputSerializer,
            service=services.protection_request_record,
            output=ProtectionRequestSerializer,
        )


class CaseAcceptancesApi(APIView):
    @extend_schema(
        operation_id="cases_acceptances_list", responses={200: AcceptanceSerializer(many=True), **READ_ERRORS}
    )
    def get(self, request: Request, reference: str) -> Response:
        return _list(request, reference, model=Acceptance, output=AcceptanceSerializer)

    @extend_schema(
        operation_id="cases_acceptances_create",
        request=AcceptanceInputSerializer,
        responses={201: AcceptanceSerializer, **ERRORS},
    )
    def post(self, request: Request, reference: str) -> Response:
        return _create(
            request,
            reference,
            record="acceptance",
            parse=AcceptanceInputSerializer,
            service=services.acceptance_record,
            output=AcceptanceSerializer,
        )


# --- Transfer and proceedings -------------------------------------------------------------------


class CaseTransfersApi(APIView):
    @extend_schema(operation_id="cases_transfers_list", responses={200: TransferSerializer(many=True), **READ_ERRORS})
    def get(self, request: Request, reference: str) -> Response:
        return _list(request, reference, model=Transfer, output=TransferSerializer, purpose="transfers")

    @extend_schema(
        operation_id="cases_transfers_create",
        description="Schedule the transfer; a transfer still scheduled is cancelled.",
        request=TransferInputSerializer,
        responses={201: TransferSerializer, **ERRORS},
    )
    def post(self, request: Request, reference: str) -> Response:
        return _create(
            request,
            reference,
            record="transfer",
            parse=TransferInputSerializer,
            service=services.transfer_schedule,
            output=TransferSerializer,
        )


class CaseProceedingsApi(APIView):
    @extend_schema(
        operation_id="cases_proceedings_list", responses={200: ProceedingsSerializer(many=True), **READ_ERRORS}
    )
    def get(self, request: Request, reference: str) -> Response:
        return _list(request, reference, model=Proceedings, output=ProceedingsSerializer, purpose="proceedings")

    @extend_schema(
        operation_id="cases_proceedings_create",
        description="Record indictable proceedings (GC III Art. 119(5)); while open they block a transfer.",
        request=ProceedingsInputSerializer,
        responses={201: ProceedingsSerializer, **ERRORS},
    )
    def post(self, request: Request, reference: str) -> Response:
        return _create(
            request,
            reference,
            record="proceedings",
            parse=ProceedingsInputSerializer,
            service=services.proceedings_record,
            output=ProceedingsSerializer,
        )


class CaseProceedingsCloseApi(APIView):
    @extend_schema(
        operation_id="cases_proceedings_close",
        request=ProceedingsCloseInputSerializer,
        responses={200: ProceedingsSerializer, **ERRORS},
    )
    def post(self, request: Request, reference: str, proceedings_id: int) -> Response:
        case = _case(request, reference)
        _role_check(request, case, "proceedings")
        proceedings = _rows(Proceedings, case).filter(pk=proceedings_id).first()
        if proceedings is None:
            raise Http404(gettext("No such proceedings."))
        closed_on: dt.date = _parse(ProceedingsCloseInputSerializer, request, opened_on=proceedings.opened_on)[
            "closed_on"
        ]
        closed = services.proceedings_close(
            actor=request.user, case=case, proceedings=proceedings, closed_on=closed_on, channel="api"
        )
        return Response(ProceedingsSerializer(closed).data)


# --- The receiving state's pathway --------------------------------------------------------------


class CaseExtensionsApi(APIView):
    @extend_schema(operation_id="cases_extensions_list", responses={200: ExtensionSerializer(many=True), **READ_ERRORS})
    def get(self, request: Request, reference: str) -> Response:
        return _list(request, reference, model=Extension, output=ExtensionSerializer)

    @extend_schema(
        operation_id="cases_extensions_create",
        description="Record an approved extension of a pathway deadline (screening, residence protection).",
        request=ExtensionInputSerializer,
        responses={201: ExtensionSerializer, **ERRORS},
    )
    def post(self, request: Request, reference: str) -> Response:
        return _create(
            request,
            reference,
            record="extension",
            parse=ExtensionInputSerializer,
            service=services.extension_record,
            output=ExtensionSerializer,
        )


class CasePathwayProgressApi(APIView):
    @extend_schema(
        operation_id="cases_pathway_progress_retrieve", responses={200: PathwayProgressSerializer, **READ_ERRORS}
    )
    def get(self, request: Request, reference: str) -> Response:
        return _single(request, reference, model=PathwayProgress, output=PathwayProgressSerializer)

    @extend_schema(
        operation_id="cases_pathway_progress_update",
        description="Create or replace what the pathway needs checked; omitted fields return to their defaults.",
        request=PathwayProgressInputSerializer,
        responses={200: PathwayProgressSerializer, 201: PathwayProgressSerializer, **ERRORS},
    )
    def put(self, request: Request, reference: str) -> Response:
        return _replace(
            request,
            reference,
            model=PathwayProgress,
            record="pathway_progress",
            parse=PathwayProgressInputSerializer,
            service=services.pathway_progress_save,
            output=PathwayProgressSerializer,
        )


# --- Death --------------------------------------------------------------------------------------


class CaseDeathRecordApi(APIView):
    @extend_schema(operation_id="cases_death_record_retrieve", responses={200: DeathRecordSerializer, **READ_ERRORS})
    def get(self, request: Request, reference: str) -> Response:
        return _single(request, reference, model=DeathRecord, output=DeathRecordSerializer, purpose="death_record")

    @extend_schema(
        operation_id="cases_death_record_update",
        description="Create or replace the Art. 120 record; omitted fields are emptied.",
        request=DeathRecordInputSerializer,
        responses={200: DeathRecordSerializer, 201: DeathRecordSerializer, **ERRORS},
    )
    def put(self, request: Request, reference: str) -> Response:
        return _replace(
            request,
            reference,
            model=DeathRecord,
            record="death_record",
            parse=DeathRecordInputSerializer,
            service=services.death_record_save,
            output=DeathRecordSerializer,
        )


# --- Events and notifications -------------------------------------------------------------------


class CaseEventsApi(APIView):
    @extend_schema(operation_id="cases_events_list", responses={200: EventSerializer(many=True), **READ_ERRORS})
    def get(self, request: Request, reference: str) -> Response:
        return _list(request, reference, model=CaseEvent, output=EventSerializer, purpose="events")

    @extend_schema(
        operation_id="cases_events_create",
        description="Record a Convention event; those the NIB must pass on are queued for forwarding.",
        request=EventInputSerializer,
        responses={201: EventSerializer, **ERRORS},
    )
    def post(self, request: Request, reference: str) -> Response:
        return _create(
            request,
            reference,
            record="event",
            parse=EventInputSerializer,
            service=services.event_record,
            output=EventSerializer,
        )


class CaseEventForwardedApi(APIView):
    @extend_schema(
        operation_id="cases_events_forwarded",
        description="Mark a queued event as forwarded to the NIB or the Central Agency.",
        request=None,
        responses={200: EventSerializer, **ERRORS},
    )
    def post(self, request: Request, reference: str, event_id: int) -> Response:
        case = _case(request, reference)
        _role_check(request, case, "event.forward")
        event = _rows(CaseEvent, case).filter(pk=event_id).first()
        if event is None:
            raise Http404(gettext("No such event."))
        forwarded = services.event_mark_forwarded(actor=request.user, case=case, event=event, channel="api")
        return Response(EventSerializer(forwarded).data)


class NotificationListApi(APIView):
    @extend_schema(
        operation_id="notifications_list",
        description=(
            "Events waiting to be forwarded (GC III Art. 122), oldest first, in the cases you may see of the "
            "organisations where you forward them (detaining-power liaisons and supervisors; 403 for others)."
        ),
        responses={200: NotificationSerializer(many=True), 403: ERRORS[403]},
    )
    def get(self, request: Request) -> Response:
        forwarders = RECORD_ROLES["event.forward"]
        organisations = [m.organisation_id for m in actor_memberships(request.user) if m.role in forwarders]
        if not organisations:
            raise RoleRefused(gettext("Only detaining-power liaisons and supervisors forward notifications."))
        events = selectors.notification_queue(organisation_ids=organisations).filter(
            case__in=registry_selectors.cases_visible_to(request.user).filter(is_erased=False)
        )
        paginator = LimitOffsetPagination()
        page = paginator.paginate_queryset(events, request, view=self) or []
        return paginator.get_paginated_response(NotificationSerializer(page, many=True).data)


# --- History ------------------------------------------------------------------------------------

ENTRY_ORDER = {"interview": 0, "event": 1, "stage_change": 2}  # on one day: the records, then the change


def _history_entries(case: Case) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = [
        {
            "type": "stage_change",
            "date": timezone.localdate(change.occurred_at),
            "at": change.occurred_at,
            "from_stage": change.from_stage,
            "to_stage": change.to_stage,
            "actor": change.actor.email if change.actor else None,
            "note": change.note,
            "is_withdrawal": change.is_withdrawal,
        }
        for change in selectors.case_stage_changes(case).select_related("person__data_key")
    ]
    entries += [
        {"type": "interview", "date": interview.held_on, "id": interview.pk, "kind": interview.kind}
        for interview in selectors.case_interviews(case).select_related(None).only("pk", "kind", "held_on")
    ]
    entries += [
        {
            "type": "event",
            "date": event.occurred_on,
            "id": event.pk,
            "kind": event.kind,
            "forwarding": event.forwarding,
            "forwarded_at": event.forwarded_at,
        }
        for event in selectors.case_events(case).only("pk", "kind", "occurred_on", "forwarding", "forwarded_at")
    ]
    return sorted(entries, key=lambda entry: (entry["date"], ENTRY_ORDER[entry["type"]]))


class CaseHistoryApi(APIView):
    @extend_schema(
        operation_id="cases_history_retrieve",
        description="The timeline: stage changes (with their notes), interviews and events, oldest first.",
        responses={200: HistorySerializer, **READ_ERRORS},
    )
    def get(self, request: Request, reference: str) -> Response:
        case = _case(request, reference)
        history = {"reference": case.reference, "stage": case.stage, "entries": _history_entries(case)}
        _audited_read(request, case, "history")
        return Response(HistorySerializer(history).data)
