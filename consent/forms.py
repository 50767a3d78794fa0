"""Forms of the consent pages; they check the shape of the input, the services check the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consent.models import Consent


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ConsentForm(forms.ModelForm[Consent]):
    class Meta:
        model = Consent
        fields = (
            "purpose",
            "recipient",
            "scope",
            "given_on",
            "expires_on",
            "information_version",
            "language",
            "interpreter",
            "taken_by",
            "witness",
            "notes",
        )
        widgets = {
            "given_on": _date_input(),
            "expires_on": _date_input(),
            "recipient": forms.TextInput(),
            "interpreter": forms.TextInput(),
            "taken_by": forms.TextInput(),
            "witness": forms.TextInput(),
            "scope": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["given_on"].initial = timezone.localdate()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        given_on = cleaned.get("given_on")
        if given_on is not None and given_on > timezone.localdate():
            self.add_error("given_on", _("This date lies in the future."))
        expires_on = cleaned.get("expires_on")
        if given_on is not None and expires_on is not None and expires_on < given_on:
            self.add_error("expires_on", _("A consent cannot expire before it was given."))
        return cleaned

    def _post_clean(self) -> None:
        # The model's own checks run in the service (the person and the stage are set there).
        pass

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class RevokeForm(forms.Form):
    revocation_channel = forms.ChoiceField(
        label=_("How did the person revoke it?"), choices=Consent.RevocationChannel.choices
    )
    confirm = forms.BooleanField(
        label=_("I confirm that the person revoked this consent. It stops holding at once for every future use."),
        required=True,
    )
