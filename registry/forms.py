from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Team
from registry.models import Alias, Case, Custody, Person
from registry.services import AliasInput
from registry.validators import validate_hangul, validate_partial_date

_LANGUAGE_SPLIT = re.compile(r"[;,]")


def offer_organisations(form: forms.Form, organisations: list[Organisation]) -> None:
    """Limit the form's organisation field to those the user may act in (preselect a single one)."""
    field = form.fields["organisation"]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = Organisation.objects.filter(pk__in=[org.pk for org in organisations])
    if len(organisations) == 1:
        field.initial = organisations[0].pk


class PersonForm(forms.Form):
    family_name = forms.CharField(label=_("Family name (romanised)"), max_length=100)
    given_name = forms.CharField(label=_("Given name (romanised)"), max_length=100)
    family_name_hangul = forms.CharField(
        label=_("Family name (Hangul)"), max_length=20, required=False, validators=[validate_hangul]
    )
    given_name_hangul = forms.CharField(
        label=_("Given name (Hangul)"), max_length=20, required=False, validators=[validate_hangul]
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Person.Sex.choices, initial=Person.Sex.UNKNOWN)
    date_of_birth = forms.CharField(
        label=_("Date of birth"),
        max_length=10,
        required=False,
        help_text=_("YYYY, YYYY-MM or YYYY-MM-DD"),
        validators=[validate_partial_date],
    )
    place_of_origin = forms.CharField(label=_("Place of origin"), max_length=200, required=False)
    unit = forms.CharField(label=_("Military unit"), max_length=200, required=False)
    rank = forms.CharField(label=_("Rank"), max_length=100, required=False)
    languages = forms.CharField(
        label=_("Languages"),
        max_length=200,
        required=False,
        help_text=_("Separate with commas, e.g. ko-KP, ru"),
    )
    protection_concern = forms.BooleanField(label=_("Protection concern (family at risk of reprisals)"), required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def person_values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["languages"] = [item.strip() for item in _LANGUAGE_SPLIT.split(data.get("languages", "")) if item.strip()]
        return {name: data[name] for name in self.fields if name in data and name not in ("version", "organisation")}


class CaseCreateForm(PersonForm):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    entry_route = forms.ChoiceField(
        label=_("Entry route"),
        choices=[("prisoner", _("Prisoner of war")), ("defector", _("Defector or escapee"))],
    )

    field_order = ["organisation", "entry_route"]

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_organisations(self, organisations)

    def person_values(self) -> dict[str, Any]:
        values = super().person_values()
        for name in ("organisation", "entry_route"):
            values.pop(name, None)
        return values


class CaseEditForm(PersonForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class AliasForm(forms.Form):
    name = forms.CharField(label=_("Alias or other name"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Alias.Kind.choices, initial=Alias.Kind.ALIAS)


AliasFormSet = forms.formset_factory(AliasForm, extra=2, max_num=20, validate_max=True)


def aliases_from_formset(formset: Any) -> list[AliasInput]:
    return [
        AliasInput(name=form.cleaned_data["name"], kind=form.cleaned_data["kind"])
        for form in formset.forms
        if form.cleaned_data.get("name", "").strip()
    ]


class CustodyForm(forms.ModelForm[Custody]):
    class Meta:
        model = Custody
        fields = ["facility", "kind", "from_date", "to_date"]
        widgets = {
            "facility": forms.TextInput(),
            "from_date": forms.DateInput(attrs={"type": "date"}),
            "to_date": forms.DateInput(attrs={"type": "date"}),
        }


class TeamChoiceField(forms.ModelChoiceField[Team]):
    def label_from_instance(self, obj: Team) -> str:
        return f"{obj.name} ({obj.organisation.name})"


class TeamAssignForm(forms.Form):
    team = TeamChoiceField(label=_("Team"), queryset=Team.objects.none())

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["team"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            Team.objects.exclude(assignments__case=case)
            .select_related("organisation")
            .order_by("organisation__name", "name")
        )


class EraseForm(forms.Form):
    confirm_reference = forms.CharField(
        label=_("Type the case reference to confirm"), max_length=13, help_text=_("For example PSG-7KQ2-9D4M")
    )
    reason = forms.CharField(
        label=_("Reason for the erasure"),
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded in the tombstone and the audit log. Do not write the person's name here."),
    )

    def __init__(self, *args: Any, reference: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reference = reference

    def clean_confirm_reference(self) -> str:
        value = str(self.cleaned_data["confirm_reference"]).strip().upper()
        if value != self.reference:
            raise forms.ValidationError(_("This is not the reference of this case."))
        return value


class ImportForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    file = forms.FileField(label=_("CSV or XLSX file"))

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_organisations(self, organisations)
