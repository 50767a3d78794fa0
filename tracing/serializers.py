"""Input and output shapes of the tracing API, one pair per operation.

A relative's location is never exported (tracing.models.NEVER_EXPORTED): no serializer here names it,
for reading or for writing, and a test walks every serializer of this module to keep it so."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Organisation, User
from tracing.compare import compare
from tracing.models import FamilyMember, Relation, TracingMatch, TracingRequest


def _status(values: list[str], description: str) -> serializers.CharField:
    """A read-only status, its values listed in the description rather than as a schema enum: several
    models have a `status`, and drf-spectacular would name their enums by the clashing field name."""
    return serializers.CharField(read_only=True, help_text=f"{description}: {', '.join(values)}.")


def _text(max_length: int, *, help_text: str = "") -> serializers.CharField:
    return serializers.CharField(
        max_length=max_length, required=False, allow_blank=True, default="", help_text=help_text
    )


# --- Family members -----------------------------------------------------------------------------

FAMILY_MEMBER_FIELDS = ["relation", "name", "is_alive", "is_next_of_kin", "reprisal_risk", "contact_allowed", "notes"]


class FamilyMemberInputSerializer(serializers.Serializer[FamilyMember]):
    relation = serializers.ChoiceField(choices=Relation.choices)
    name = serializers.CharField(max_length=200)
    is_alive = serializers.ChoiceField(choices=FamilyMember.Alive.choices, required=False)
    is_next_of_kin = serializers.BooleanField(required=False)
    reprisal_risk = serializers.ChoiceField(choices=FamilyMember.ReprisalRisk.choices, required=False)
    contact_allowed = serializers.BooleanField(required=False, help_text="Decided by the person, never by staff.")
    notes = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class FamilyMemberUpdateInputSerializer(FamilyMemberInputSerializer):
    """Only the fields sent are changed."""

    relation = serializers.ChoiceField(choices=Relation.choices, required=False)
    name = serializers.CharField(max_length=200, required=False)


class FamilyMemberSerializer(serializers.ModelSerializer[FamilyMember]):
    recorded_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(slug_field="email", read_only=True)

    class Meta:
        model = FamilyMember
        fields = ["id", *FAMILY_MEMBER_FIELDS, "recorded_by", "recorded_at", "updated_at"]


# --- Tracing requests ---------------------------------------------------------------------------


class TracingRequestInputSerializer(serializers.Serializer[TracingRequest]):
    organisation = serializers.SlugField(
        required=False, help_text="Slug of the organisation tracing; needed if you trace in several."
    )
    direction = serializers.ChoiceField(choices=TracingRequest.Direction.choices)
    case = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        default="",
        help_text="Reference of the seeker's case (person_seeks_family only).",
    )
    relation = serializers.ChoiceField(
        choices=Relation.choices, help_text="What the person sought is to the one seeking (e.g. son)."
    )
    sought_family_name = _text(100)
    sought_given_name = _text(100)
    sought_family_name_hangul = _text(20)
    sought_given_name_hangul = _text(20)
    sought_date_of_birth = _text(10, help_text="YYYY, YYYY-MM or YYYY-MM-DD")
    sought_place_of_origin = _text(200)
    enquirer_name = _text(200)
    enquirer_contact = _text(500)


class ComparedFieldSerializer(serializers.Serializer[Any]):
    field = serializers.CharField(help_text="What is compared.")
    sought = serializers.CharField(help_text="What the request seeks.")
    candidate = serializers.CharField(help_text="What the candidate's record says.")
    agrees = serializers.BooleanField(allow_null=True, help_text="Null when either side is empty.")


class TracingMatchSerializer(serializers.ModelSerializer[TracingMatch]):
    """A candidate: the case reference, the scores, and what was sought beside what the record says."""

    case = serializers.SerializerMethodField(help_text="Reference of the candidate's case.")
    comparison = serializers.SerializerMethodField()
    status = _status(TracingMatch.Status.values, "The review of the candidate")
    reviewed_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(slug_field="email", read_only=True)

    class Meta:
        model = TracingMatch
        fields = [
            "id",
            "case",
            "score",
            "name_score",
            "date_of_birth_agrees",
            "comparison",
            "status",
            "reviewed_by",
            "reviewed_at",
            "review_note",
            "proposed_at",
        ]

    def get_case(self, match: TracingMatch) -> str:
        return str(match.person.case.reference)

    @extend_schema_field(ComparedFieldSerializer(many=True))
    def get_comparison(self, match: TracingMatch) -> list[dict[str, Any]]:
        aliases = [alias.name for alias in match.person.aliases.all()]
        return [
            {"field": str(item.label), "sought": item.sought, "candidate": item.candidate, "agrees": item.agrees}
            for item in compare(match.request, match.person, aliases)
        ]


class TracingRequestSerializer(serializers.ModelSerializer[TracingRequest]):
    organisation: serializers.SlugRelatedField[Organisation] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    case = serializers.SerializerMethodField(help_text="Reference of the seeker's case, if any.")
    status = _status(TracingRequest.Status.values, "Where the request stands")
    created_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(slug_field="email", read_only=True)

    class Meta:
        model = TracingRequest
        fields = [
            "id",
            "organisation",
            "direction",
            "case",
            "relation",
            "sought_family_name",
            "sought_given_name",
            "sought_family_name_hangul",
            "sought_given_name_hangul",
            "sought_date_of_birth",
            "sought_place_of_origin",
            "enquirer_name",
            "enquirer_contact",
            "status",
            "created_by",
            "created_at",
            "updated_at",
        ]

    def get_case(self, tracing_request: TracingRequest) -> str:
        return tracing_request.case.reference if tracing_request.case_id and tracing_request.case else ""


class TracingRequestDetailSerializer(TracingRequestSerializer):
    matches = serializers.SerializerMethodField()

    class Meta(TracingRequestSerializer.Meta):
        fields = [*TracingRequestSerializer.Meta.fields, "matches"]

    @extend_schema_field(TracingMatchSerializer(many=True))
    def get_matches(self, tracing_request: TracingRequest) -> list[dict[str, Any]]:
        return list(TracingMatchSerializer(self.context.get("matches", []), many=True).data)


class TracingReviewInputSerializer(serializers.Serializer[TracingMatch]):
    note = _text(2000, help_text="Why the candidate is, or is not, the person sought.")


class TracingSearchResultSerializer(serializers.Serializer[Any]):
    status = _status(TracingRequest.Status.values, "The request's status after the search")
    matches = TracingMatchSerializer(many=True)
