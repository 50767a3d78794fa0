"""Input and output shapes of the correspondence API, one pair per operation.

Choice fields are described by their values (a pattern and the description) rather than as shared enum
components: several models have a `kind`, a `status`, a `direction` or a `channel`, and drf-spectacular
would name their enums by the clashing field name."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Organisation, User
from consent.serializers import FindingSerializer, shown_finding_data
from correspondence import rules
from correspondence.models import Attachment, AttachmentType, Correspondence, Delivery, Translation


def _choice(
    choices: Sequence[tuple[str, Any]], *, required: bool = True, help_text: str = ""
) -> serializers.ChoiceField:
    """A choice field whose values the schema lists inline (see the module's docstring)."""
    values = [value for value, _label in choices]
    # A pattern rather than an `enum`: drf-spectacular would lift an enum into a component named after
    # the field, which clashes with other `kind`/`direction` enums of the API.
    pattern = "^(" + "|".join(re.escape(value) for value in values) + ")$"
    subclass = type("InlineChoiceField", (serializers.ChoiceField,), {})  # never decorate DRF's own class
    field_class = extend_schema_field({"type": "string", "pattern": pattern})(subclass)
    described = f"{help_text} One of: {', '.join(values)}.".strip()
    if required:
        return field_class(choices=choices, help_text=described)  # type: ignore[no-any-return]
    return field_class(choices=choices, required=False, help_text=described)  # type: ignore[no-any-return]


def _read_only(values: list[str], description: str) -> serializers.CharField:
    return serializers.CharField(read_only=True, help_text=f"{description}: {', '.join(values)}.")


def _text(max_length: int, *, help_text: str = "") -> serializers.CharField:
    return serializers.CharField(
        max_length=max_length, required=False, allow_blank=True, default="", help_text=help_text
    )


def _date(help_text: str, *, required: bool = False) -> serializers.DateField:
    if required:
        return serializers.DateField(help_text=help_text)
    return serializers.DateField(required=False, allow_null=True, default=None, help_text=help_text)


INITIAL_STATUSES = sorted({status.value for statuses in rules.INITIAL_STATUSES.values() for status in statuses})


# --- Items --------------------------------------------------------------------------------------


class CorrespondenceInputSerializer(serializers.Serializer[Correspondence]):
    direction = _choice(Correspondence.Direction.choices, help_text="in: written to the person; out: by the person.")
    kind = _choice(Correspondence.Kind.choices)
    status = _choice(
        [(value, value) for value in INITIAL_STATUSES],
        required=False,
        help_text="requested: a mail request awaiting a decision; incoming mail is received.",
    )
    family_card_declined = serializers.BooleanField(
        required=False, default=False, help_text="A capture card to the family the person chose not to send."
    )
    sender = _text(300)
    recipient = _text(500)
    written_on = _date("When it was written.")
    sent_on = _date("When it was sent (status sent).")
    received_on = _date("When it arrived (incoming mail).")
    language = _text(16, help_text="A language tag, e.g. ko.")
    route = _choice([("", "none"), *Correspondence.Route.choices], required=False)
    content = serializers.CharField(
        max_length=100_000,
        required=False,
        allow_blank=True,
        default="",
        trim_whitespace=False,
        help_text="The text, or a transcript or summary of a video message.",
    )


class CorrespondenceUpdateInputSerializer(serializers.Serializer[Correspondence]):
    """Only the fields sent are changed; kind, direction and status change through their steps."""

    sender = serializers.CharField(max_length=300, required=False, allow_blank=True)
    recipient = serializers.CharField(max_length=500, required=False, allow_blank=True)
    written_on = serializers.DateField(required=False, allow_null=True)
    language = serializers.CharField(max_length=16, required=False, allow_blank=True)
    route = _choice([("", "none"), *Correspondence.Route.choices], required=False)
    content = serializers.CharField(max_length=100_000, required=False, allow_blank=True, trim_whitespace=False)


ITEM_FIELDS = [
    "id",
    "direction",
    "kind",
    "status",
    "sender",
    "recipient",
    "written_on",
    "sent_on",
    "received_on",
    "delivered_on",
    "language",
    "route",
    "censored_by_state",
    "censored_on",
    "family_card_declined",
    "decided_by",
    "decided_on",
    "recorded_by",
    "recorded_at",
]


class CorrespondenceSerializer(serializers.ModelSerializer[Correspondence]):
    direction = _read_only(Correspondence.Direction.values, "in or out")
    kind = _read_only(Correspondence.Kind.values, "What it is")
    status = _read_only(Correspondence.Status.values, "Where it stands")
    route = _read_only(Correspondence.Route.values, "How it travels (empty: not recorded)")
    decided_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(slug_field="email", read_only=True)
    recorded_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(slug_field="email", read_only=True)

    class Meta:
        model = Correspondence
        fields = ITEM_FIELDS


class TranslationInputSerializer(serializers.Serializer[Translation]):
    language = serializers.CharField(max_length=16, help_text="A language tag, e.g. en.")
    text = serializers.CharField(max_length=100_000, trim_whitespace=False)
    translator = _text(300)


class TranslationSerializer(serializers.ModelSerializer[Translation]):
    recorded_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(slug_field="email", read_only=True)

    class Meta:
        model = Translation
        fields = ["id", "language", "text", "translator", "recorded_by", "recorded_at"]


class AttachmentInputSerializer(serializers.Serializer[Attachment]):
    file = serializers.FileField(
        allow_empty_file=True, help_text="The file (multipart/form-data); checked by its content, stored encrypted."
    )


class AttachmentSerializer(serializers.ModelSerializer[Attachment]):
    content_type = _read_only(AttachmentType.values, "The type detected from the bytes")
    download = serializers.SerializerMethodField(help_text="Where to download it (an audited read).")
    recorded_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(slug_field="email", read_only=True)

    class Meta:
        model = Attachment
        fields = ["id", "filename", "content_type", "size", "download", "recorded_by", "recorded_at"]

    def get_download(self, attachment: Attachment) -> str:
        reference = self.context["reference"]
        return reverse("api_correspondence_attachment", args=[reference, attachment.correspondence_id, attachment.pk])


class DeliveryInputSerializer(serializers.Serializer[Delivery]):
    channel = _choice(
        Delivery.Channel.choices,
        help_text="family_via_agency and person_via_agency are recorded at once; authority and press go "
        "through a release.",
    )
    recipient = serializers.CharField(max_length=500)
    recipient_organisation = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Organisation.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="Slug of a receiving organisation in Passage (an authority).",
    )
    recipient_state = _text(2, help_text="ISO 3166 code of a receiving state (an authority).")
    version = _choice(Delivery.Version.choices, help_text="What is sent (redacted: direct deliveries only).")
    translation = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="Its id.")
    sent_on = _date("When it was sent (direct deliveries; empty: pending).")


class DeliverySerializer(serializers.ModelSerializer[Delivery]):
    channel = _read_only(Delivery.Channel.values, "Where it goes")
    recipient_organisation: serializers.SlugRelatedField[Organisation] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    version = serializers.SerializerMethodField(
        help_text="What was sent: original, translation or redacted (a release redacted before it went out)."
    )
    status = serializers.SerializerMethodField(help_text="pending, sent or cancelled; a release's, when it has one.")
    sent_on = serializers.SerializerMethodField()
    text_sent = serializers.SerializerMethodField(help_text="Exactly what was sent (empty until it is sent).")
    recorded_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(slug_field="email", read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "channel",
            "recipient",
            "recipient_organisation",
            "version",
            "translation",
            "status",
            "sent_on",
            "text_sent",
            "release",
            "recorded_by",
            "recorded_at",
        ]

    def get_version(self, delivery: Delivery) -> str:
        return delivery.current_version

    def get_status(self, delivery: Delivery) -> str:
        return delivery.current_status

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_sent_on(self, delivery: Delivery) -> Any:
        return delivery.current_sent_on

    def get_text_sent(self, delivery: Delivery) -> str:
        return delivery.current_text


class DeliveryRecordedSerializer(serializers.Serializer[Any]):
    delivery = DeliverySerializer()
    is_clean = serializers.SerializerMethodField(
        help_text="Direct deliveries: nothing identifying was found. Null through a release (its check decides)."
    )
    findings = serializers.SerializerMethodField(help_text="What the disclosure check found (direct deliveries).")

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_is_clean(self, recorded: Any) -> bool | None:
        return None if recorded.check is None else bool(recorded.check.is_clean)

    @extend_schema_field(FindingSerializer(many=True))
    def get_findings(self, recorded: Any) -> list[dict[str, object]]:
        check = recorded.check
        return [] if check is None else [shown_finding_data(shown) for shown in check.findings]


class CorrespondenceDetailSerializer(CorrespondenceSerializer):
    translations = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()
    deliveries = serializers.SerializerMethodField()

    class Meta(CorrespondenceSerializer.Meta):
        fields = [*ITEM_FIELDS, "content", "refusal_reason", "translations", "attachments", "deliveries"]

    @extend_schema_field(TranslationSerializer(many=True))
    def get_translations(self, item: Correspondence) -> list[dict[str, Any]]:
        return list(TranslationSerializer(self.context.get("translations", []), many=True).data)

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, item: Correspondence) -> list[dict[str, Any]]:
        attachments = self.context.get("attachments", [])
        return list(AttachmentSerializer(attachments, many=True, context={"reference": item.case.reference}).data)

    @extend_schema_field(DeliverySerializer(many=True))
    def get_deliveries(self, item: Correspondence) -> list[dict[str, Any]]:
        return list(DeliverySerializer(self.context.get("deliveries", []), many=True).data)


class RefuseInputSerializer(serializers.Serializer[Correspondence]):
    reason = serializers.CharField(max_length=2000, help_text="Why the request is refused.")


class SentInputSerializer(serializers.Serializer[Correspondence]):
    sent_on = serializers.DateField()


class DeliveredInputSerializer(serializers.Serializer[Correspondence]):
    delivered_on = serializers.DateField()


class DeclineInputSerializer(serializers.Serializer[Correspondence]):
    declined_on = serializers.DateField()


class CensorshipInputSerializer(serializers.Serializer[Correspondence]):
    state = serializers.RegexField(r"^[A-Za-z]{2}$", help_text="ISO 3166 code of the censoring state.")
    censored_on = serializers.DateField()
