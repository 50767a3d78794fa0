"""Input and output shapes of the lifecycle API, one pair per operation.

Input serializers check types, choices and lengths; the services check the rest (and raise a
ValidationError naming the field). Output serializers never hold more than the caller may read:
interview content has its own serializer, chosen by `accounts.policy.may_read_interview_content`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from accounts.models import Organisation, User
from protection import selectors
from protection.guards import interview_problems
from protection.models import (
    Acceptance,
    CaseEvent,
    DeathCause,
    DeathRecord,
    Extension,
    Interview,
    LegalBasis,
    NibRecord,
    PathwayProgress,
    Proceedings,
    ProtectionRequest,
    RiskAssessment,
    Transfer,
)
from protection.services import ART_122_MARKABLE, TRANSITION_EVENTS
from protection.stages import Stage
from registry.models import Case

COUNTRY_PATTERN = r"^[A-Za-z]{2}$"
COUNTRY_HELP = "ISO 3166 two-letter code, e.g. KR, KP, UA."


def country(*, required: bool = True, allow_blank: bool = False) -> serializers.RegexField:
    return serializers.RegexField(
        COUNTRY_PATTERN,
        required=required,
        allow_blank=allow_blank,
        help_text=COUNTRY_HELP,
        error_messages={"invalid": _("Give a two-letter country code, such as KR.")},
    )


def text(max_length: int, *, required: bool = False, **kwargs: Any) -> serializers.CharField:
    return serializers.CharField(max_length=max_length, required=required, allow_blank=not required, **kwargs)


def _recorded_by() -> serializers.SlugRelatedField[User]:
    return serializers.SlugRelatedField(slug_field="email", read_only=True, help_text="Who recorded it (e-mail).")


# --- Transitions --------------------------------------------------------------------------------


class ReasonSerializer(serializers.Serializer[Any]):
    rule = serializers.CharField(help_text="The rule (or 'role') that is not met.")
    message = serializers.CharField(help_text="What is missing, in words.")


class TransitionOptionSerializer(serializers.Serializer[Any]):
    to = serializers.ChoiceField(choices=Stage.choices)
    label = serializers.CharField()  # type: ignore[assignment]  # a field named like Field.label
    allowed = serializers.BooleanField(help_text="This caller may make the change now.")
    needs_note = serializers.BooleanField(help_text="Written reasons must be given as `note`.")
    roles = serializers.ListField(child=serializers.CharField(), help_text="Roles that may make the change.")
    unmet = ReasonSerializer(many=True, help_text="Why it is not allowed: the role, then every unmet condition.")


class TransitionListSerializer(serializers.Serializer[Any]):
    stage = serializers.ChoiceField(choices=Stage.choices)
    version = serializers.IntegerField()
    transitions = TransitionOptionSerializer(many=True)


class TransitionInputSerializer(serializers.Serializer[Any]):
    to = serializers.ChoiceField(choices=Stage.choices, help_text="The stage to move the case to.")
    note = serializers.CharField(
        max_length=5000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Reasons; required where the transition says `needs_note`.",
    )


class TransitionResultSerializer(serializers.ModelSerializer[Case]):
    class Meta:
        model = Case
        fields = ["reference", "stage", "version"]


# --- Interviews ---------------------------------------------------------------------------------


class InterviewInputSerializer(serializers.Serializer[Interview]):
    """The interviewer is the caller; an external statement has none."""

    kind = serializers.ChoiceField(choices=Interview.Kind.choices)
    held_on = serializers.DateField()
    place = text(200)
    independence_declared = serializers.BooleanField(required=False)
    interpreter = text(200, help_text="Name and organisation; empty when none was needed.")
    interpreter_is_independent = serializers.BooleanField(required=False)
    language = text(40)
    korean_spoken = serializers.BooleanField(required=False)
    present = text(2000, help_text="Everyone present.")
    is_private = serializers.BooleanField(required=False)
    detaining_power_present = serializers.BooleanField(required=False)
    receiving_state_present = serializers.BooleanField(required=False)
    options_briefing_given = serializers.BooleanField(required=False)
    understanding_confirmed = serializers.BooleanField(required=False)
    fit_for_interview = serializers.BooleanField(required=False)
    fitness_note = text(2000)
    stated_wish = serializers.ChoiceField(choices=Interview.Wish.choices, required=False)
    stated_destination = country(required=False, allow_blank=True)
    reasons = text(10000)
    source = text(500, help_text="For an external statement: where it came from.")  # type: ignore[assignment]


INTERVIEW_FACT_FIELDS = [
    "id",
    "kind",
    "held_on",
    "interviewer",
    "interviewer_organisation",
    "independence_declared",
    "interpreter_is_independent",
    "language",
    "korean_spoken",
    "is_private",
    "detaining_power_present",
    "receiving_state_present",
    "options_briefing_given",
    "understanding_confirmed",
    "fit_for_interview",
    "qualifies_for_wish_verification",
    "not_qualifying_because",
    "recorded_at",
]
# What the person said, and who heard it: never for the detaining power (accounts.policy).
INTERVIEW_CONTENT_FIELDS = [
    "place",
    "interpreter",
    "present",
    "fitness_note",
    "stated_wish",
    "stated_destination",
    "reasons",
    "source",
]


class InterviewSerializer(serializers.ModelSerializer[Interview]):
    """An interview as everyone who may view the case sees it: the facts the safeguards read."""

    interviewer: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(slug_field="email", read_only=True)
    interviewer_organisation: serializers.SlugRelatedField[Organisation] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    qualifies_for_wish_verification = serializers.SerializerMethodField()
    not_qualifying_because = serializers.SerializerMethodField()

    class Meta:
        model = Interview
        fields = INTERVIEW_FACT_FIELDS

    def _problems(self, interview: Interview) -> list[str]:
        return interview_problems(selectors.interview_facts(interview))

    def get_qualifies_for_wish_verification(self, interview: Interview) -> bool:
        return not self._problems(interview)

    def get_not_qualifying_because(self, interview: Interview) -> list[str]:
        return [gettext(problem) for problem in self._problems(interview)]


class InterviewContentSerializer(InterviewSerializer):
    """An interview with what was said: for the protection body and the case's supervisors."""

    class Meta:
        model = Interview
        fields = INTERVIEW_FACT_FIELDS + INTERVIEW_CONTENT_FIELDS


# --- The Art. 122 record ------------------------------------------------------------------------


class NibRecordInputSerializer(serializers.Serializer[NibRecord]):
    """The whole record: omitted fields are emptied."""

    serial_number = text(100, default="")
    power_depended_on = serializers.ListField(
        child=country(), required=False, default=list, help_text="Country codes; several when disputed."
    )
    father_first_name = text(100, default="")
    mother_maiden_name = text(100, default="")
    person_to_inform = text(500, default="")
    correspondence_address = text(500, default="")
    not_available = serializers.ListField(
        child=serializers.ChoiceField(choices=ART_122_MARKABLE),
        required=False,
        default=list,
        help_text="Art. 122 fields marked not available.",
    )


class NibRecordSerializer(serializers.ModelSerializer[NibRecord]):
    recorded_by = _recorded_by()

    class Meta:
        model = NibRecord
        fields = [
            "id",
            "serial_number",
            "power_depended_on",
            "father_first_name",
            "mother_maiden_name",
            "person_to_inform",
            "correspondence_address",
            "not_available",
            "recorded_by",
            "recorded_at",
        ]


# --- Risk, request, acceptance ------------------------------------------------------------------


class RiskAssessmentInputSerializer(serializers.Serializer[RiskAssessment]):
    destination = country()
    assessed_on = serializers.DateField()
    protecting_body_consulted = serializers.BooleanField(required=False)
    risk_found = serializers.BooleanField(
        help_text="Substantial grounds to believe the person risks killing, torture, ill-treatment or persecution."
    )
    reasons = text(10000, required=True)


class RiskAssessmentSerializer(serializers.ModelSerializer[RiskAssessment]):
    recorded_by = _recorded_by()

    class Meta:
        model = RiskAssessment
        fields = [
            "id",
            "destination",
            "assessed_on",
            "protecting_body_consulted",
            "risk_found",
            "reasons",
            "recorded_by",
            "recorded_at",
        ]


class ProtectionRequestInputSerializer(serializers.Serializer[ProtectionRequest]):
    receiving_state = country()
    requested_on = serializers.DateField()
    made_in_person = serializers.BooleanField(required=False)
    in_person_exception = text(2000, help_text="Why the application was not made in person.")
    entered_receiving_state_on = serializers.DateField(required=False, allow_null=True)


class ProtectionRequestSerializer(serializers.ModelSerializer[ProtectionRequest]):
    recorded_by = _recorded_by()

    class Meta:
        model = ProtectionRequest
        fields = [
            "id",
            "receiving_state",
            "requested_on",
            "made_in_person",
            "in_person_exception",
            "entered_receiving_state_on",
            "recorded_by",
            "recorded_at",
        ]


class AcceptanceInputSerializer(serializers.Serializer[Acceptance]):
    receiving_state = country()
    decided_on = serializers.DateField()
    is_written = serializers.BooleanField(required=False)
    document_reference = text(100)
    legal_basis = serializers.ChoiceField(choices=LegalBasis.choices, required=False, allow_blank=True)


class AcceptanceSerializer(serializers.ModelSerializer[Acceptance]):
    recorded_by = _recorded_by()

    class Meta:
        model = Acceptance
        fields = [
            "id",
            "receiving_state",
            "decided_on",
            "is_written",
            "document_reference",
            "legal_basis",
            "recorded_by",
            "recorded_at",
        ]


# --- Transfer and proceedings -------------------------------------------------------------------


class TransferInputSerializer(serializers.Serializer[Transfer]):
    from_place = text(200, required=True)
    to_state = country()
    legal_basis = serializers.ChoiceField(choices=LegalBasis.choices)
    scheduled_for = serializers.DateField()
    escort = text(500)
    neutral_witness = text(200, help_text="The ICRC (or other neutral) witness of the handover.")
    protecting_body_notified = serializers.BooleanField(required=False)
    valuables_inventory_ready = serializers.BooleanField(required=False)


class TransferSerializer(serializers.ModelSerializer[Transfer]):
    recorded_by = _recorded_by()

    class Meta:
        model = Transfer
        fields = [
            "id",
            "status",
            "from_place",
            "to_state",
            "legal_basis",
            "acceptance",
            "scheduled_for",
            "escort",
            "neutral_witness",
            "protecting_body_notified",
            "valuables_inventory_ready",
            "done_on",
            "handover_reconfirmation",
            "recorded_by",
            "recorded_at",
        ]


class ProceedingsInputSerializer(serializers.Serializer[Proceedings]):
    opened_on = serializers.DateField()
    closed_on = serializers.DateField(required=False, allow_null=True)
    description = text(2000, required=True)
    other_party_notified_on = serializers.DateField(required=False, allow_null=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        closed_on = attrs.get("closed_on")
        if closed_on is not None and closed_on < attrs["opened_on"]:
            raise serializers.ValidationError({"closed_on": _("Proceedings cannot close before they open.")})
        return attrs


class ProceedingsCloseInputSerializer(serializers.Serializer[Proceedings]):
    closed_on = serializers.DateField()

    def validate_closed_on(self, value: dt.date) -> dt.date:
        opened_on: dt.date = self.context["opened_on"]
        if value < opened_on:
            raise serializers.ValidationError(_("Proceedings cannot close before they open."))
        return value


class ProceedingsSerializer(serializers.ModelSerializer[Proceedings]):
    recorded_by = _recorded_by()
    is_pending = serializers.BooleanField(read_only=True, help_text="Open: it blocks a transfer (Art. 119(5)).")

    class Meta:
        model = Proceedings
        fields = [
            "id",
            "opened_on",
            "closed_on",
            "is_pending",
            "description",
            "other_party_notified_on",
            "recorded_by",
            "recorded_at",
        ]


# --- The receiving state's pathway --------------------------------------------------------------


class ExtensionInputSerializer(serializers.Serializer[Extension]):
    kind = serializers.ChoiceField(choices=Extension.Kind.choices, help_text="The deadline extended.")
    days = serializers.IntegerField(min_value=1, max_value=3660)
    approved_on = serializers.DateField()
    approved_by_body = text(200, required=True, help_text="e.g. the Consultative Council")


class ExtensionSerializer(serializers.ModelSerializer[Extension]):
    recorded_by = _recorded_by()

    class Meta:
        model = Extension
        fields = ["id", "kind", "days", "approved_on", "approved_by_body", "recorded_by", "recorded_at"]


class PathwayProgressInputSerializer(serializers.Serializer[PathwayProgress]):
    """The whole record: omitted fields return to their defaults."""

    exclusions_checked = serializers.BooleanField(required=False, default=False)
    programme_completed_on = serializers.DateField(required=False, allow_null=True, default=None)
    family_register_done = serializers.BooleanField(required=False, default=False)
    housing_arranged = serializers.BooleanField(required=False, default=False)


class PathwayProgressSerializer(serializers.ModelSerializer[PathwayProgress]):
    recorded_by = _recorded_by()

    class Meta:
        model = PathwayProgress
        fields = [
            "id",
            "exclusions_checked",
            "programme_completed_on",
            "family_register_done",
            "housing_arranged",
            "recorded_by",
            "recorded_at",
        ]


# --- Death --------------------------------------------------------------------------------------


class DeathRecordInputSerializer(serializers.Serializer[DeathRecord]):
    """The whole Art. 120 record: omitted fields are emptied."""

    died_on = serializers.DateField()
    cause = serializers.ChoiceField(choices=DeathCause.choices)
    cause_detail = text(2000, default="")
    place = text(200, default="")
    buried_on = serializers.DateField(required=False, allow_null=True, default=None)
    grave = text(500, default="", help_text="Burial place and grave details.")
    medical_examination_done = serializers.BooleanField(required=False, default=False)


class DeathRecordSerializer(serializers.ModelSerializer[DeathRecord]):
    recorded_by = _recorded_by()

    class Meta:
        model = DeathRecord
        fields = [
            "id",
            "died_on",
            "cause",
            "cause_detail",
            "place",
            "buried_on",
            "grave",
            "medical_examination_done",
            "recorded_by",
            "recorded_at",
        ]


# --- Events and notifications -------------------------------------------------------------------

RECORDABLE_EVENTS = [(value, label) for value, label in CaseEvent.Kind.choices if value not in TRANSITION_EVENTS]


class EventInputSerializer(serializers.Serializer[CaseEvent]):
    kind = serializers.ChoiceField(
        choices=RECORDABLE_EVENTS, help_text="Events of a stage change (transfer, death, ...) come with it."
    )
    occurred_on = serializers.DateField()
    details = text(5000)
    is_seriously_ill = serializers.BooleanField(required=False)
    witnesses_present = serializers.BooleanField(required=False)
    witnesses_requested = serializers.BooleanField(required=False)


class EventSerializer(serializers.ModelSerializer[CaseEvent]):
    recorded_by = _recorded_by()
    is_flagged_visit = serializers.BooleanField(
        read_only=True, help_text="An Art. 126 visit with witnesses the prisoner did not ask for."
    )

    class Meta:
        model = CaseEvent
        fields = [
            "id",
            "kind",
            "occurred_on",
            "details",
            "is_seriously_ill",
            "witnesses_present",
            "witnesses_requested",
            "is_flagged_visit",
            "forwarding",
            "forwarded_at",
            "route_through_central_agency",
            "recorded_by",
            "recorded_at",
        ]


class NotificationSerializer(serializers.ModelSerializer[CaseEvent]):
    """An event waiting to be forwarded, without its details (open the case's events for them)."""

    case = serializers.CharField(source="case.reference", read_only=True, help_text="The case reference.")

    class Meta:
        model = CaseEvent
        fields = ["id", "case", "kind", "occurred_on", "forwarding", "route_through_central_agency", "recorded_at"]


# --- History ------------------------------------------------------------------------------------


class StageChangeEntrySerializer(serializers.Serializer[Any]):
    type = serializers.CharField(help_text="stage_change")
    date = serializers.DateField()
    at = serializers.DateTimeField()
    from_stage = serializers.ChoiceField(choices=Stage.choices, allow_blank=True, help_text="Empty for the opening.")
    to_stage = serializers.ChoiceField(choices=Stage.choices)
    actor = serializers.EmailField(allow_null=True)
    note = serializers.CharField(allow_blank=True)
    is_withdrawal = serializers.BooleanField()


class InterviewEntrySerializer(serializers.Serializer[Any]):
    type = serializers.CharField(help_text="interview")
    date = serializers.DateField()
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Interview.Kind.choices)


class EventEntrySerializer(serializers.Serializer[Any]):
    type = serializers.CharField(help_text="event")
    date = serializers.DateField()
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=CaseEvent.Kind.choices)
    forwarding = serializers.ChoiceField(choices=CaseEvent.Forwarding.choices)
    forwarded_at = serializers.DateTimeField(allow_null=True)


HISTORY_ENTRY = PolymorphicProxySerializer(
    component_name="HistoryEntry",
    serializers={
        "stage_change": StageChangeEntrySerializer,
        "interview": InterviewEntrySerializer,
        "event": EventEntrySerializer,
    },
    resource_type_field_name="type",
    many=True,
)
ENTRY_SERIALIZERS: dict[str, type[serializers.Serializer[Any]]] = {
    "stage_change": StageChangeEntrySerializer,
    "interview": InterviewEntrySerializer,
    "event": EventEntrySerializer,
}


class HistorySerializer(serializers.Serializer[Any]):
    reference = serializers.CharField()
    stage = serializers.ChoiceField(choices=Stage.choices)
    entries = serializers.SerializerMethodField(help_text="Stage changes, interviews and events, oldest first.")

    @extend_schema_field(HISTORY_ENTRY)
    def get_entries(self, history: dict[str, Any]) -> list[dict[str, Any]]:
        return [dict(ENTRY_SERIALIZERS[entry["type"]](entry).data) for entry in history["entries"]]
