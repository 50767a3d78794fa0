"""Forms of the lifecycle pages. They check the shape of what was typed and hand `values()` to the
record services, which check the rules and the policy; none of them saves anything itself."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.core.validators import MinValueValidator
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.models import User
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
from protection.services import (
    DEATH_FIELDS,
    EVENT_FIELDS,
    PATHWAY_FIELDS,
    TRANSFER_FIELDS,
    TRANSITION_EVENTS,
)

COUNTRY = re.compile(r"^[A-Z]{2}$")
COUNTRY_FIELDS = ("destination", "receiving_state", "to_state", "stated_destination")
SHORT_TEXT = ("place", "interpreter", "from_place", "neutral_witness", "escort", "serial_number", "source")


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RecordForm(forms.ModelForm[Any]):
    """A record's fields as the model describes them (labels, help, validators), never saved here."""

    # (legend, field names) to group the fields; one group of every field when empty.
    fieldsets: Sequence[tuple[Any, Sequence[str]]] = ()
    # Fields holding a date that cannot lie in the future.
    past_dates: Sequence[str] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.DateField):
                field.widget = _date_input()
            elif name in SHORT_TEXT and isinstance(field.widget, forms.Textarea):
                field.widget = forms.TextInput()
            elif isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = 3
            if name in COUNTRY_FIELDS:
                field.widget.attrs.update({"maxlength": "2", "autocapitalize": "characters", "size": "3"})

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in COUNTRY_FIELDS:
            value = cleaned.get(name)
            if isinstance(value, str) and value.strip():
                value = value.strip().upper()
                if not COUNTRY.match(value):
                    self.add_error(name, _("Use a two-letter country code, e.g. KR."))
                else:
                    cleaned[name] = value
        today = timezone.localdate()
        for name in self.past_dates:
            value = cleaned.get(name)
            if value is not None and value > today:
                self.add_error(name, _("This date lies in the future."))
        return cleaned

    def groups(self) -> list[tuple[Any, list[forms.BoundField]]]:
        if not self.fieldsets:
            return [("", [self[name] for name in self.fields])]
        return [(legend, [self[name] for name in names if name in self.fields]) for legend, names in self.fieldsets]

    def values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class InterviewForm(RecordForm):
    past_dates = ("held_on",)
    fieldsets = (
        (_("The interview"), ("kind", "held_on", "place", "interviewer", "independence_declared")),
        (_("Language and interpreter"), ("language", "korean_spoken", "interpreter", "interpreter_is_independent")),
        (
            _("Who was there"),
            ("present", "is_private", "detaining_power_present", "receiving_state_present"),
        ),
        (
            _("Safeguards"),
            ("options_briefing_given", "understanding_confirmed", "fit_for_interview", "fitness_note"),
        ),
        (_("What the person said"), ("stated_wish", "stated_destination", "reasons", "source")),
    )

    class Meta:
        model = Interview
        fields = (
            "kind",
            "held_on",
            "place",
            "interviewer",
            "independence_declared",
            "language",
            "korean_spoken",
            "interpreter",
            "interpreter_is_independent",
            "present",
            "is_private",
            "detaining_power_present",
            "receiving_state_present",
            "options_briefing_given",
            "understanding_confirmed",
            "fit_for_interview",
            "fitness_note",
            "stated_wish",
            "stated_destination",
            "reasons",
            "source",
        )

    def __init__(self, *args: Any, kinds: Iterable[str], interviewers: Iterable[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = set(kinds)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [(value, label) for value, label in Interview.Kind.choices if value in allowed]
        interviewer = self.fields["interviewer"]
        assert isinstance(interviewer, forms.ModelChoiceField)
        interviewer.queryset = User.objects.filter(pk__in=[user.pk for user in interviewers]).order_by("email")
        interviewer.empty_label = _("(me)")
        interviewer.help_text = _(
            "Who held the interview; you, unless you record it for a colleague. None for letters."
        )

    def values(self) -> dict[str, Any]:
        values = dict(self.cleaned_data)
        if values.get("interviewer") is None:
            values.pop("interviewer", None)  # the service takes the person recording it
        return values


class NibRecordForm(forms.Form):
    """The Art. 122 record: each field filled, or marked not available ("in so far as available")."""

    serial_number = forms.CharField(
        label=capfirst(NibRecord._meta.get_field("serial_number").verbose_name), max_length=100, required=False
    )
    power_depended_on = forms.CharField(
        label=capfirst(NibRecord._meta.get_field("power_depended_on").verbose_name),
        max_length=100,
        required=False,
        help_text=_("Two-letter country codes separated by commas; several when disputed, e.g. KP, RU."),
    )
    father_first_name = forms.CharField(
        label=capfirst(NibRecord._meta.get_field("father_first_name").verbose_name), max_length=100, required=False
    )
    mother_maiden_name = forms.CharField(
        label=capfirst(NibRecord._meta.get_field("mother_maiden_name").verbose_name), max_length=100, required=False
    )
    person_to_inform = forms.CharField(
        label=capfirst(NibRecord._meta.get_field("person_to_inform").verbose_name),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    correspondence_address = forms.CharField(
        label=capfirst(NibRecord._meta.get_field("correspondence_address").verbose_name),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    PERSON_FIELDS = ("family_name", "given_name", "rank", "date_of_birth", "place_of_origin")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in (*self.PERSON_FIELDS, *NibRecord.EXTRA_FIELDS):
            self.fields[f"na_{name}"] = forms.BooleanField(label=_("Not available"), required=False)

    @classmethod
    def initial_from(cls, record: NibRecord | None) -> dict[str, Any]:
        if record is None:
            return {}
        initial: dict[str, Any] = {name: str(getattr(record, name)) for name in NibRecord.EXTRA_FIELDS}
        initial["power_depended_on"] = ", ".join(record.power_depended_on)
        for name in record.not_available:
            initial[f"na_{name}"] = True
        return initial

    def clean_power_depended_on(self) -> list[str]:
        codes = [code.strip().upper() for code in str(self.cleaned_data["power_depended_on"]).split(",")]
        codes = [code for code in codes if code]
        if any(not COUNTRY.match(code) for code in codes):
            raise forms.ValidationError(_("Use two-letter country codes separated by commas, e.g. KP, RU."))
        return codes

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in NibRecord.EXTRA_FIELDS:
            if cleaned.get(name) and cleaned.get(f"na_{name}"):
                self.add_error(name, _("Either fill this field or mark it not available, not both."))
        return cleaned

    def rows(self, person: Any) -> list[dict[str, Any]]:
        """One row per Art. 122 field: the input (or the value on the person's record) and its mark."""
        rows: list[dict[str, Any]] = []
        for name in self.PERSON_FIELDS:
            field = person._meta.get_field(name)
            rows.append({"label": field.verbose_name, "value": getattr(person, name), "mark": self[f"na_{name}"]})
        for name in NibRecord.EXTRA_FIELDS:
            rows.append({"field": self[name], "mark": self[f"na_{name}"]})
        return rows

    def values(self) -> dict[str, Any]:
        values = {name: self.cleaned_data[name] for name in NibRecord.EXTRA_FIELDS}
        values["not_available"] = [
            name for name in (*self.PERSON_FIELDS, *NibRecord.EXTRA_FIELDS) if self.cleaned_data.get(f"na_{name}")
        ]
        return values


class RiskAssessmentForm(RecordForm):
    past_dates = ("assessed_on",)

    class Meta:
        model = RiskAssessment
        fields = ("destination", "assessed_on", "protecting_body_consulted", "risk_found", "reasons")


class ProtectionRequestForm(RecordForm):
    past_dates = ("requested_on", "entered_receiving_state_on")

    class Meta:
        model = ProtectionRequest
        fields = (
            "receiving_state",
            "requested_on",
            "made_in_person",
            "in_person_exception",
            "entered_receiving_state_on",
        )


class AcceptanceForm(RecordForm):
    past_dates = ("decided_on",)

    class Meta:
        model = Acceptance
        fields = ("receiving_state", "decided_on", "is_written", "document_reference", "legal_basis")


class TransferForm(RecordForm):
    class Meta:
        model = Transfer
        fields = TRANSFER_FIELDS


class ProceedingsForm(RecordForm):
    past_dates = ("opened_on", "closed_on", "other_party_notified_on")

    class Meta:
        model = Proceedings
        fields = ("opened_on", "closed_on", "description", "other_party_notified_on")


class ProceedingsCloseForm(forms.Form):
    closed_on = forms.DateField(label=_("Closed on"), widget=_date_input())

    def __init__(self, *args: Any, proceedings: Proceedings, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.proceedings = proceedings

    def clean_closed_on(self) -> Any:
        closed_on = self.cleaned_data["closed_on"]
        if closed_on < self.proceedings.opened_on:
            raise forms.ValidationError(_("Proceedings cannot close before they open."))
        if closed_on > timezone.localdate():
            raise forms.ValidationError(_("This date lies in the future."))
        return closed_on

    def groups(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [("", [self["closed_on"]])]

    def values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class DeathRecordForm(RecordForm):
    past_dates = ("died_on", "buried_on")

    class Meta:
        model = DeathRecord
        fields = DEATH_FIELDS


class EventForm(RecordForm):
    past_dates = ("occurred_on",)

    class Meta:
        model = CaseEvent
        fields = EVENT_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", "---------")] + [
            (value, label) for value, label in CaseEvent.Kind.choices if value not in TRANSITION_EVENTS
        ]
        kind.help_text = _("Transfers, releases, deaths and the like are recorded by the stage change itself.")


class ExtensionForm(RecordForm):
    past_dates = ("approved_on",)

    class Meta:
        model = Extension
        fields = ("kind", "days", "approved_on", "approved_by_body")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        days = self.fields["days"]
        days.validators.append(MinValueValidator(1))
        days.widget.attrs["min"] = "1"


class PathwayProgressForm(RecordForm):
    class Meta:
        model = PathwayProgress
        fields = PATHWAY_FIELDS


class TransitionForm(forms.Form):
    to = forms.CharField(max_length=32, widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
