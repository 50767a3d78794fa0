"""The correspondence API of a case: list and record items, read and correct one, decide a mail request,
mark it sent, delivered or declined, record its censorship, add translations and attachments (multipart,
kept in memory: correspondence.uploads), download an attachment (an audited read), record deliveries.
Parse → service → serialize; errors are problem details (RFC 9457).

The case is reached through `registry.selectors.case_get` (404 without view access, 410 once erased);
roles that see the case but may not do this get 403 whatever the input; the services ask again under
the case lock. A refused step (the Art. 71 minimum, a status that does not allow it, a second
censorship) answers 409 listing every unmet condition."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.policy import may_read_correspondence, may_record_correspondence
from correspondence import selectors, services
from correspondence.models import Correspondence, Translation
from correspondence.serializers import (
    AttachmentInputSerializer,
    AttachmentSerializer,
    CensorshipInputSerializer,
    CorrespondenceDetailSerializer,
    CorrespondenceInputSerializer,
    CorrespondenceSerializer,
    CorrespondenceUpdateInputSerializer,
    DeclineInputSerializer,
    DeliveredInputSerializer,
    DeliveryInputSerializer,
    DeliveryRecordedSerializer,
    DeliverySerializer,
    RefuseInputSerializer,
    SentInputSerializer,
    TranslationInputSerializer,
    TranslationSerializer,
)
from correspondence.uploads import attachment_max_bytes, upload_was_too_large, use_attachment_handler
from correspondence.views import attachment_response
from passage.problems import problem_response
from registry import selectors as registry_selectors
from registry.models import Case

ERRORS: dict[int, OpenApiResponse] = {
    400: OpenApiResponse(description="Problem details (RFC 9457) with `errors`: [{field, reason}]"),
    403: OpenApiResponse(description="Problem details (RFC 9457): your role may not do this"),
    404: OpenApiResponse(description="Problem details (RFC 9457): not found, or no access to it"),
    409: OpenApiResponse(description="Problem details (RFC 9457) with `unmet`: the rules that refuse this step"),
    410: OpenApiResponse(description="Problem details (RFC 9457): the person's data was erased"),
}
READ_ERRORS = {code: ERRORS[code] for code in (403, 404, 410)}


def _case(request: Request, reference: str) -> Case:
    return registry_selectors.case_get(actor=request.user, reference=reference, channel="api")


def _reader(request: Request, reference: str) -> Case:
    case = _case(request, reference)
    if not may_read_correspondence(request.user, case):
        raise services.CorrespondenceRoleRefused(gettext("Your role may not read this person's correspondence."))
    return case


def _recorder(request: Request, reference: str) -> Case:
    case = _case(request, reference)
    if not may_record_correspondence(request.user, case):
        raise services.CorrespondenceRoleRefused(gettext("Your role may not record correspondence on this case."))
    return case


def _detail(request: Request, case: Case, item: Correspondence, *, code: int = 200) -> Response:
    item = selectors.correspondence_get(case, item.pk)
    item.case = case
    context = {
        "translations": list(selectors.item_translations(item)),
        "attachments": list(selectors.item_attachments(item)),
        "deliveries": list(selectors.item_deliveries(item)),
    }
    data = CorrespondenceDetailSerializer(item, context=context).data
    services.correspondence_record_view(
        actor=request.user, case=case, item=item, purpose="correspondence item", channel="api"
    )
    return Response(data, status=code)


class CaseCorrespondenceApi(APIView):
    @extend_schema(
        operation_id="cases_correspondence_list",
        description="The person's letters, cards and messages, newest first, without their text. Audited.",
        responses={200: CorrespondenceSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request: Request, reference: str) -> Response:
        case = _reader(request, reference)
        items = list(selectors.case_correspondence(case))
        services.correspondence_record_view(actor=request.user, case=case, purpose="correspondence list", channel="api")
        return Response(CorrespondenceSerializer(items, many=True).data)

    @extend_schema(
        operation_id="cases_correspondence_create",
        description="Record an item. A capture card recorded as sent or declined records its Convention event.",
        request=CorrespondenceInputSerializer,
        responses={201: CorrespondenceDetailSerializer, **ERRORS},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = _recorder(request, reference)
        serializer = CorrespondenceInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        values = {name: value for name, value in values.items() if value is not None}
        item = services.correspondence_record(actor=request.user, case=case, values=values, channel="api")
        return _detail(request, case, item, code=status.HTTP_201_CREATED)


def _item(case: Case, item_id: int) -> Correspondence:
    return selectors.correspondence_get(case, item_id)


class CorrespondenceItemApi(APIView):
    @extend_schema(
        operation_id="cases_correspondence_retrieve",
        description="One item with its text, translations, attachments (not their bytes) and deliveries. Audited.",
        responses={200: CorrespondenceDetailSerializer, **READ_ERRORS},
    )
    def get(self, request: Request, reference: str, item_id: int) -> Response:
        case = _reader(request, reference)
        return _detail(request, case, _item(case, item_id))

    @extend_schema(
        operation_id="cases_correspondence_partial_update",
        request=CorrespondenceUpdateInputSerializer,
        responses={200: CorrespondenceDetailSerializer, **ERRORS},
    )
    def patch(self, request: Request, reference: str, item_id: int) -> Response:
        case = _recorder(request, reference)
        item = _item(case, item_id)
        serializer = CorrespondenceUpdateInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.correspondence_update(
            actor=request.user, case=case, item=item, values=dict(serializer.validated_data), channel="api"
        )
        return _detail(request, case, item)


class CorrespondenceApproveApi(APIView):
    @extend_schema(
        operation_id="cases_correspondence_approve",
        description="Approve a mail request.",
        request=None,
        responses={200: CorrespondenceDetailSerializer, **ERRORS},
    )
    def post(self, request: Request, reference: str, item_id: int) -> Response:
        case = _recorder(request, reference)
        item = services.mail_request_approve(actor=request.user, case=case, item=_item(case, item_id), channel="api")
        return _detail(request, case, item)


class CorrespondenceRefuseApi(APIView):
    @extend_schema(
        operation_id="cases_correspondence_refuse",
        description="Refuse a mail request with the reason. Below the monthly minimum of letters (cards), a "
        "letter (card) request cannot be refused: 409 naming the minimum (GC III Art. 71).",
        request=RefuseInputSerializer,
        responses={200: CorrespondenceDetailSerializer, **ERRORS},
    )
    def post(self, request: Request, reference: str, item_id: int) -> Response:
        case = _recorder(request, reference)
        item = _item(case, item_id)
        serializer = RefuseInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = services.mail_request_refuse(
            actor=request.user, case=case, item=item, reason=serializer.validated_data["reason"], channel="api"
        )
        return _detail(request, case, item)


class CorrespondenceSentApi(APIView):
    @extend_schema(
        operation_id="cases_correspondence_sent",
        description="The item went out; a capture card sent records `capture_card_sent` (GC III Art. 70).",
        request=SentInputSerializer,
        responses={200: CorrespondenceDetailSerializer, **ERRORS},
    )
    def post(self, request: Request, reference: str, item_id: int) -> Response:
        case = _recorder(request, reference)
        item = _item(case, item_id)
        serializer = SentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = services.correspondence_mark_sent(
            actor=request.user, case=case, item=item, sent_on=serializer.validated_data["sent_on"], channel="api"
        )
        return _detail(request, case, item)


class CorrespondenceDeliveredApi(APIView):
    @extend_schema(
        operation_id="cases_correspondence_delivered",
        description="Outgoing: it reached its recipient. Incoming: it was handed to the person.",
        request=DeliveredInputSerializer,
        responses={200: CorrespondenceDetailSerializer, **ERRORS},
    )
    def post(self, request: Request, reference: str, item_id: int) -> Response:
        case = _recorder(request, reference)
        item = _item(case, item_id)
        serializer = DeliveredInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = services.correspondence_mark_delivered(
            actor=request.user,
            case=case,
            item=item,
            delivered_on=serializer.validated_data["delivered_on"],
            channel="api",
        )
        return _detail(request, case, item)


class CorrespondenceDeclineApi(APIView):
    @extend_schema(
        operation_id="cases_correspondence_decline",
        description="The person declines to send the capture card to the family; records `capture_card_declined`.",
        request=DeclineInputSerializer,
        responses={200: CorrespondenceDetailSerializer, **ERRORS},
    )
    def post(self, request: Request, reference: str, item_id: int) -> Response:
        case = _recorder(request, reference)
        item = _item(case, item_id)
        serializer = DeclineInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = services.capture_card_decline(
            actor=request.user,
            case=case,
            item=item,
            declined_on=serializer.validated_data["declined_on"],
            channel="api",
        )
        return _detail(request, case, item)


class CorrespondenceCensorshipApi(APIView):
    @extend_schema(
        operation_id="cases_correspondence_censorship",
        description="Record that a state censored the item; a second censorship is refused (GC III Art. 76).",
        request=CensorshipInputSerializer,
        responses={200: CorrespondenceDetailSerializer, **ERRORS},
    )
    def post(self, request: Request, reference: str, item_id: int) -> Response:
        case = _recorder(request, reference)
        item = _item(case, item_id)
        serializer = CensorshipInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = services.correspondence_censor(
            actor=request.user,
            case=case,
            item=item,
            state=serializer.validated_data["state"],
            censored_on=serializer.validated_data["censored_on"],
            channel="api",
        )
        return _detail(request, case, item)


class CorrespondenceTranslationsApi(APIView):
    @extend_schema(
        operation_id="cases_correspondence_translations_create",
        request=TranslationInputSerializer,
        responses={201: TranslationSerializer, **ERRORS},
    )
    def post(self, request: Request, reference: str, item_id: int) -> Response:
        case = _recorder(request, reference)
        item = _item(case, item_id)
        serializer = TranslationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        translation = services.translation_add(actor=request.user, case=case, item=item, **serializer.validated_data)
        return Response(TranslationSerializer(translation).data, status=status.HTTP_201_CREATED)


class CorrespondenceAttachmentsApi(APIView):
    """Uploads stay in memory (correspondence.uploads): the handler is set before DRF reads the body."""

    parser_classes = [MultiPartParser]

    def initialize_request(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Request:
        use_attachment_handler(request)
        return super().initialize_request(request, *args, **kwargs)

    @extend_schema(
        operation_id="cases_correspondence_attachments_create",
        description="Attach a file (multipart/form-data, field `file`). Checked by its content, never its "
        "name or declared type; refused with the reason if empty, too large, not allowed, mislabelled or "
        "malformed, and then nothing is stored.",
        request={"multipart/form-data": AttachmentInputSerializer},
        responses={201: AttachmentSerializer, **ERRORS},
    )
    def post(self, request: Request, reference: str, item_id: int) -> Response:
        case = _recorder(request, reference)
        item = _item(case, item_id)
        data = request.data  # parsed here, by the in-memory handler
        if upload_was_too_large(request._request):
            limit = round(attachment_max_bytes() / 1e6, 1)
            return problem_response(
                status_code=400,
                title="Invalid input",
                detail="One or more fields are invalid.",
                errors=[{"field": "file", "reason": f"The file is larger than the limit of {limit} MB."}],
            )
        serializer = AttachmentInputSerializer(data=data)
        serializer.is_valid(raise_exception=True)
        file: UploadedFile = serializer.validated_data["file"]
        upload = services.AttachmentUpload(
            filename=file.name or "", declared_type=file.content_type or "", data=bytes(file.read())
        )
        try:
            attachment = services.attachment_add(actor=request.user, case=case, item=item, upload=upload, channel="api")
        except ValidationError as error:
            raise ValidationError({"file": error.message_dict.get("attachment", error.messages)}) from None
        return Response(
            AttachmentSerializer(attachment, context={"reference": case.reference}).data,
            status=status.HTTP_201_CREATED,
        )


class CorrespondenceAttachmentApi(APIView):
    @extend_schema(
        operation_id="cases_correspondence_attachments_download",
        description="The file's bytes, as an attachment with the type detected on upload. An audited read.",
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, **READ_ERRORS},
    )
    def get(self, request: Request, reference: str, item_id: int, attachment_id: int) -> HttpResponse:
        case = _reader(request, reference)
        item = _item(case, item_id)
        attachment = selectors.attachment_get(item, attachment_id)
        data = services.attachment_open(actor=request.user, case=case, attachment=attachment, channel="api")
        return attachment_response(data, content_type=attachment.content_type, filename=str(attachment.filename))


class CorrespondenceDeliveriesApi(APIView):
    @extend_schema(
        operation_id="cases_correspondence_deliveries_list",
        description="Where the item was passed on, and exactly what was sent.",
        responses={200: DeliverySerializer(many=True), **READ_ERRORS},
    )
    def get(self, request: Request, reference: str, item_id: int) -> Response:
        case = _reader(request, reference)
        item = _item(case, item_id)
        deliveries = list(selectors.item_deliveries(item))
        services.correspondence_record_view(
            actor=request.user, case=case, item=item, purpose="correspondence deliveries", channel="api"
        )
        return Response(DeliverySerializer(deliveries, many=True).data)

    @extend_schema(
        operation_id="cases_correspondence_deliveries_create",
        description="To the family or the person through a neutral agency: recorded at once, with the "
        "disclosure check's findings on what was sent. To the press or an authority: a release is prepared "
        "(consent and review follow on the release); the delivery follows its status.",
        request=DeliveryInputSerializer,
        responses={201: DeliveryRecordedSerializer, **ERRORS},
    )
    def post(self, request: Request, reference: str, item_id: int) -> Response:
        case = _recorder(request, reference)
        item = _item(case, item_id)
        serializer = DeliveryInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        translation = None
        if data["translation"] is not None:
            translation = Translation.objects.filter(correspondence=item, pk=data["translation"]).first()
            if translation is None:
                raise Http404(gettext("No translation found."))
        recorded = services.delivery_record(
            actor=request.user,
            case=case,
            item=item,
            delivery_channel=data["channel"],
            version=data["version"],
            recipient=data["recipient"],
            translation=translation,
            recipient_organisation=data["recipient_organisation"],
            recipient_state=data["recipient_state"],
            sent_on=data["sent_on"],
            channel="api",
        )
        delivery = selectors.delivery_get(item, recorded.delivery.pk)
        payload = DeliveryRecordedSerializer(services.DeliveryRecorded(delivery=delivery, check=recorded.check)).data
        return Response(payload, status=status.HTTP_201_CREATED)
