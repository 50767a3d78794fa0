"""Input and output shapes of the consent API, one pair per operation."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Organisation, User
from consent.disclosure.types import Kind, Severity
from consent.models import MEDIA_PURPOSES, Consent, MediaRequest, Purpose, Release, ReleaseFinding, TakedownRequest

CONSENT_STATES = (
    ("live", "Live"),
    ("expired", "Expired"),
    ("lapsed", "Lapsed: the case changed stage since it was given"),
    ("revoked", "Revoked"),
)


def _text(max_length: int, *, required: bool = False, help_text: str = "") -> serializers.CharField:
    if required:
        return serializers.CharField(max_length=max_length, help_text=help_text)
    return serializers.CharField(
        max_length=max_length, required=False, allow_blank=True, default="", help_text=help_text
    )


def _organisation(help_text: str) -> serializers.SlugRelatedField[Organisation]:
    return serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Organisation.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text=help_text,
    )


class ConsentInputSerializer(serializers.Serializer[Consent]):
    purpose = serializers.ChoiceField(choices=Purpose.choices)
    recipient = _text(500, help_text="Who may receive or use it; empty when the purpose names no one.")
    recipient_organisation = _organisation("For sharing with an organisation: its slug in Passage.")
    recipient_state = _text(2, help_text="For sharing with a state: its ISO 3166 two-letter code, e.g. KR.")
    scope = _text(2000, required=True, help_text="Which fields or media the consent covers.")
    information_version = _text(40, help_text="The version of the information sheet explained.")
    language = _text(40)
    interpreter = _text(200)
    taken_by = _text(200, required=True, help_text="The officer who took it.")
    witness = _text(200)
    given_on = serializers.DateField()
    expires_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="The last day it holds."
    )
    notes = _text(5000)


class ConsentRevokeInputSerializer(serializers.Serializer[Consent]):
    revocation_channel = serializers.ChoiceField(
        choices=Consent.RevocationChannel.choices, help_text="How the person revoked the consent."
    )


class ConsentSerializer(serializers.ModelSerializer[Consent]):
    state = serializers.ChoiceField(choices=CONSENT_STATES, read_only=True, help_text="Why it holds or not.")
    is_live = serializers.BooleanField(read_only=True)
    recorded_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(slug_field="email", read_only=True)
    revoked_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(slug_field="email", read_only=True)
    recipient_organisation: serializers.SlugRelatedField[Organisation] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )

    class Meta:
        model = Consent
        fields = [
            "id",
            "purpose",
            "state",
            "is_live",
            "recipient",
            "recipient_organisation",
            "recipient_state",
            "scope",
            "information_version",
            "language",
            "interpreter",
            "taken_by",
            "witness",
            "given_on",
            "expires_on",
            "lifecycle_stage_at_consent",
            "notes",
            "recorded_by",
            "recorded_at",
            "revoked_at",
            "revoked_by",
            "revocation_channel",
        ]


# --- The disclosure check -----------------------------------------------------------------------


class DisclosureCheckInputSerializer(serializers.Serializer[object]):
    text = serializers.CharField(trim_whitespace=False, help_text="The outgoing text to check.")
    cases = serializers.ListField(
        child=serializers.CharField(max_length=20),
        required=False,
        default=list,
        help_text="References of the cases the text is about: their every detail is looked for.",
    )


class FindingSerializer(serializers.Serializer[object]):
    start = serializers.IntegerField(help_text="Offset of the first character (Python string index).")
    end = serializers.IntegerField(help_text="Offset after the last character.")
    text = serializers.CharField(help_text="The span, from the text given.")
    kind = serializers.ChoiceField(choices=[(k.value, k.value) for k in Kind])
    severity = serializers.ChoiceField(
        choices=[(s.value, s.value) for s in Severity],
        help_text="identifying: blocks a release; quasi: blocks with two more kinds; advisory: for the reviewer.",
    )
    rule = serializers.CharField(help_text="What found it.")
    replacement = serializers.CharField(help_text="The proposed redaction.")
    references = serializers.ListField(
        child=serializers.CharField(), help_text="Cases it may identify that you may see."
    )
    hidden_persons = serializers.IntegerField(
        help_text="Registered persons it may identify whose cases you may not see."
    )
    parts = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField()), help_text="A combination's member spans."
    )


class DisclosureCheckSerializer(serializers.Serializer[object]):
    is_clean = serializers.BooleanField(help_text="Nothing blocks: no identifying finding.")
    findings = FindingSerializer(many=True)
    redacted_text = serializers.CharField(help_text="The text with every blocking finding replaced by its label.")


def shown_finding_data(shown: object) -> dict[str, object]:
    from consent.services.disclosure import ShownFinding

    assert isinstance(shown, ShownFinding)
    finding = shown.finding
    return {
        "start": finding.start,
        "end": finding.end,
        "text": shown.text,
        "kind": finding.kind.value,
        "severity": finding.severity.value,
        "rule": finding.rule,
        "replacement": finding.replacement,
        "references": list(shown.references),
        "hidden_persons": shown.hidden_persons,
        "parts": [list(part) for part in finding.parts],
    }


# --- Media requests -------------------------------------------------------------------------------


class MediaRequestInputSerializer(serializers.Serializer[MediaRequest]):
    outlet = serializers.CharField(max_length=200)
    purposes = serializers.ListField(child=serializers.ChoiceField(choices=list(MEDIA_PURPOSES)), min_length=1)
    description = serializers.CharField(max_length=5000, help_text="What the outlet asks, in its words.")
    outlet_contact = _text(500)
    cases = serializers.ListField(child=serializers.CharField(max_length=20), required=False, default=list)


class MediaRequestPersonInputSerializer(serializers.Serializer[object]):
    reference = serializers.CharField(max_length=20)


class ReviewInputSerializer(serializers.Serializer[object]):
    approve = serializers.BooleanField()
    reasons = _text(5000, help_text="Required to refuse; recorded either way.")


class MediaRequestCloseInputSerializer(serializers.Serializer[object]):
    outcome = serializers.ChoiceField(choices=[MediaRequest.Status.COMPLETED, *MediaRequest.CancelReason.values])


class MediaRequestSerializer(serializers.ModelSerializer[MediaRequest]):
    organisation: serializers.SlugRelatedField[Organisation] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    created_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(slug_field="email", read_only=True)
    reviewed_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(slug_field="email", read_only=True)
    persons = serializers.SerializerMethodField(help_text="References of the persons asked for (not withdrawn).")
    withdrawn = serializers.SerializerMethodField(help_text="References of persons who withdrew (consent revoked).")

    class Meta:
        model = MediaRequest
        fields = [
            "id",
            "organisation",
            "outlet",
            "purposes",
            "status",
            "cancel_reason",
            "persons",
            "withdrawn",
            "created_by",
            "created_at",
            "submitted_at",
            "reviewed_by",
            "reviewed_at",
        ]

    def get_persons(self, row: MediaRequest) -> list[str]:
        return [p.case.reference for p in row.persons.all() if p.withdrawn_at is None]

    def get_withdrawn(self, row: MediaRequest) -> list[str]:
        return [p.case.reference for p in row.persons.all() if p.withdrawn_at is not None]


class MediaRequestDetailSerializer(MediaRequestSerializer):
    """With what the outlet asks: for those who may read it."""

    class Meta(MediaRequestSerializer.Meta):
        fields = [*MediaRequestSerializer.Meta.fields, "description", "outlet_contact", "review_reasons"]


# --- Releases -------------------------------------------------------------------------------------


class ReleaseInputSerializer(serializers.Serializer[Release]):
    kind = serializers.ChoiceField(choices=Release.Kind.choices)
    purpose = serializers.ChoiceField(choices=Purpose.choices)
    title = serializers.CharField(max_length=300)
    recipient = serializers.CharField(max_length=500)
    text = serializers.CharField(trim_whitespace=False)
    cases = serializers.ListField(child=serializers.CharField(max_length=20), required=False, default=list)
    media_request = serializers.IntegerField(required=False, allow_null=True, default=None)
    recipient_organisation = _organisation("For sharing: the organisation in Passage that receives it.")
    recipient_state = _text(2, help_text="For sharing with a state: its ISO code.")


class ReleaseUpdateInputSerializer(serializers.Serializer[Release]):
    title = serializers.CharField(max_length=300, required=False)
    recipient = serializers.CharField(max_length=500, required=False)
    text = serializers.CharField(trim_whitespace=False, required=False)
    version = serializers.IntegerField(help_text="The text version you edited (409 if it changed since).")


class ReleaseRedactInputSerializer(serializers.Serializer[object]):
    findings = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        allow_null=True,
        default=None,
        help_text="Ids of the findings to redact; by default every open finding that blocks.",
    )


class FindingDismissInputSerializer(serializers.Serializer[object]):
    reason = serializers.CharField(max_length=1000, help_text="Why it identifies no one.")


class ReleaseFindingSerializer(serializers.ModelSerializer[ReleaseFinding]):
    class Meta:
        model = ReleaseFinding
        fields = ["id", "start", "end", "kind", "severity", "rule", "replacement", "parts", "decision"]


class ReleaseSerializer(serializers.ModelSerializer[Release]):
    organisation: serializers.SlugRelatedField[Organisation] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    created_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(slug_field="email", read_only=True)
    reviewed_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(slug_field="email", read_only=True)
    cases = serializers.SerializerMethodField(help_text="References of the persons it concerns.")

    class Meta:
        model = Release
        fields = [
            "id",
            "organisation",
            "kind",
            "purpose",
            "status",
            "cancel_reason",
            "media_request",
            "recipient_state",
            "cases",
            "text_version",
            "checked_version",
            "created_by",
            "created_at",
            "reviewed_by",
            "reviewed_at",
            "released_at",
        ]

    def get_cases(self, row: Release) -> list[str]:
        return [link.case.reference for link in row.release_cases.all()]


class ReleaseDetailSerializer(ReleaseSerializer):
    """With the text and the findings of the check: for those who may read them."""

    findings = serializers.SerializerMethodField()
    unmet = serializers.SerializerMethodField(help_text="What the next step still needs.")

    class Meta(ReleaseSerializer.Meta):
        fields = [*ReleaseSerializer.Meta.fields, "title", "recipient", "text", "findings", "unmet"]

    @extend_schema_field(ReleaseFindingSerializer(many=True))
    def get_findings(self, row: Release) -> list[dict[str, object]]:
        rows = ReleaseFinding.objects.filter(release=row, text_version=row.checked_version)
        return [dict(data) for data in ReleaseFindingSerializer(rows, many=True).data]

    @extend_schema_field(serializers.ListField(child=serializers.DictField(child=serializers.CharField())))
    def get_unmet(self, row: Release) -> list[dict[str, str]]:
        return list(self.context.get("unmet", []))


class TakedownInputSerializer(serializers.Serializer[TakedownRequest]):
    status = serializers.ChoiceField(choices=TakedownRequest.Status.choices)
    notes = _text(2000)


class TakedownSerializer(serializers.ModelSerializer[TakedownRequest]):
    case = serializers.SlugRelatedField(slug_field="reference", read_only=True)  # type: ignore[var-annotated]

    class Meta:
        model = TakedownRequest
        fields = ["id", "release", "case", "status", "due_on", "opened_at", "updated_at"]
