"""Forms of the tracing pages; they check the shape of the input, the services check the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from registry.validators import validate_hangul, validate_partial_date
from tracing.models import FamilyMember, Relation, TracingRequest


class FamilyMemberForm(forms.ModelForm[FamilyMember]):
    """A relative; the location field is left out for those who may not read it."""

    class Meta:
        model = FamilyMember
        fields = (
            "relation",
            "name",
            "is_alive",
            "is_next_of_kin",
            "reprisal_risk",
            "contact_allowed",
            "location",
            "notes",
        )
        widgets = {
            "name": forms.TextInput(),
            "location": forms.TextInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, may_read_location: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_read_location:
            del self.fields["location"]

    def _post_clean(self) -> None:
        # The model's checks run in the service, which sets the case and the person.
        pass

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields}

    @classmethod
    def initial_from(cls, member: FamilyMember, *, may_read_location: bool) -> dict[str, Any]:
        names = [name for name in cls.Meta.fields if may_read_location or name != "location"]
        return {
            name: str(getattr(member, name)) if name in ("name", "location", "notes") else getattr(member, name)
            for name in names
        }


class TracingRequestForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    direction = forms.ChoiceField(label=_("Who is seeking whom"), choices=TracingRequest.Direction.choices)
    case_reference = forms.CharField(
        label=_("Case of the person seeking"),
        max_length=20,
        required=False,
        help_text=_("Only when a registered person seeks a relative, e.g. PSG-7KQ2-9D4M."),
    )
    relation = forms.ChoiceField(
        label=_("Relation"),
        choices=Relation.choices,
        help_text=_("What the person sought is to the one seeking (e.g. son)."),
    )
    sought_family_name = forms.CharField(label=_("Family name sought (romanised)"), max_length=100, required=False)
    sought_given_name = forms.CharField(label=_("Given name sought (romanised)"), max_length=100, required=False)
    sought_family_name_hangul = forms.CharField(
        label=_("Family name sought (Hangul)"), max_length=20, required=False, validators=[validate_hangul]
    )
    sought_given_name_hangul = forms.CharField(
        label=_("Given name sought (Hangul)"), max_length=20, required=False, validators=[validate_hangul]
    )
    sought_date_of_birth = forms.CharField(
        label=_("Date of birth sought"),
        max_length=10,
        required=False,
        validators=[validate_partial_date],
        help_text=_("YYYY, YYYY-MM or YYYY-MM-DD"),
    )
    sought_place_of_origin = forms.CharField(label=_("Place of origin sought"), max_length=200, required=False)
    enquirer_name = forms.CharField(label=_("Enquirer's name"), max_length=200, required=False)
    enquirer_contact = forms.CharField(
        label=_("Enquirer's contact"),
        max_length=500,
        required=False,
        help_text=_("How to reach the enquirer safely."),
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])
        if len(organisations) == 1:
            field.initial = organisations[0].pk
        self.fields["sought_family_name_hangul"].widget.attrs["lang"] = "ko"
        self.fields["sought_given_name_hangul"].widget.attrs["lang"] = "ko"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        seeking_family = cleaned.get("direction") == TracingRequest.Direction.PERSON_SEEKS_FAMILY
        if seeking_family and not cleaned.get("case_reference", "").strip():
            self.add_error("case_reference", _("Name the case of the person who seeks a relative."))
        if not seeking_family and cleaned.get("case_reference", "").strip():
            self.add_error("case_reference", _("Only a registered person seeking a relative has a case here."))
        return cleaned

    def values(self) -> dict[str, Any]:
        skip = {"organisation", "direction", "case_reference"}
        return {name: value for name, value in self.cleaned_data.items() if name not in skip}


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Review note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CloseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Close as"),
        choices=[
            (TracingRequest.Status.CLOSED_NO_MATCH, TracingRequest.Status.CLOSED_NO_MATCH.label),
            (TracingRequest.Status.WITHDRAWN, TracingRequest.Status.WITHDRAWN.label),
        ],
    )
