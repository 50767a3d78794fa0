"""Forms of the consent pages; they check the shape of the input, the services check the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from consent.models import MEDIA_PURPOSES, Consent, MediaRequest, Purpose, Release, TakedownRequest


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ConsentForm(forms.ModelForm[Consent]):
    class Meta:
        model = Consent
        fields = (
            "purpose",
            "recipient",
            "recipient_organisation",
            "recipient_state",
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
        self.fields["recipient_organisation"].queryset = Organisation.objects.order_by("name")  # type: ignore[attr-defined]

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


def _references(text: str) -> list[str]:
    return [part for part in text.replace(",", " ").split() if part]


REFERENCES_HELP = _("Case references, separated by spaces or commas (e.g. PSG-7KQ2-9D4M).")


class DisclosureCheckForm(forms.Form):
    text = forms.CharField(
        label=_("Text to check"),
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
        required=False,
        help_text=_("A press release, a letter to forward, an export note, report commentary..."),
    )
    file = forms.FileField(
        label=_("Or a text file (UTF-8)"), required=False, help_text=_("A .txt file; its text is checked.")
    )
    cases = forms.CharField(label=_("The text is about"), required=False, help_text=REFERENCES_HELP)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upload = cleaned.get("file")
        if upload is not None:
            try:
                cleaned["text"] = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                self.add_error("file", _("The file is not UTF-8 text."))
        if not (cleaned.get("text") or "").strip() and not self.errors:
            self.add_error("text", _("Give the text to check."))
        return cleaned

    def references(self) -> list[str]:
        return _references(self.cleaned_data.get("cases", ""))


class MediaRequestForm(forms.Form):
    outlet = forms.CharField(label=_("Outlet"), max_length=200, help_text=_("The newspaper, broadcaster or producer."))
    purposes = forms.MultipleChoiceField(
        label=_("The outlet asks for"),
        choices=[(value, label) for value, label in Purpose.choices if value in MEDIA_PURPOSES],
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(label=_("What is asked"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    outlet_contact = forms.CharField(label=_("Outlet contact"), max_length=500, required=False)
    cases = forms.CharField(label=_("Persons asked for"), required=False, help_text=REFERENCES_HELP)

    def references(self) -> list[str]:
        return _references(self.cleaned_data.get("cases", ""))


class AddPersonForm(forms.Form):
    reference = forms.CharField(label=_("Case reference"), max_length=20)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("refuse", _("Refuse"))], widget=forms.RadioSelect
    )
    reasons = forms.CharField(
        label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, required=False
    )


class MediaRequestCloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Close the request"),
        choices=[(MediaRequest.Status.COMPLETED, _("Completed")), *MediaRequest.CancelReason.choices],
    )


class ReleaseForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Release.Kind.choices)
    purpose = forms.ChoiceField(
        label=_("Purpose"),
        choices=Purpose.choices,
        help_text=_("The use every person it concerns must have consented to."),
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    recipient = forms.CharField(label=_("Recipient"), max_length=500, help_text=_("Outlet, authority, partner."))
    recipient_organisation = forms.ModelChoiceField(
        label=_("Recipient organisation"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        help_text=_("For sharing: the organisation in Passage that receives it."),
    )
    recipient_state = forms.CharField(
        label=_("Recipient state"), max_length=2, required=False, help_text=_("For sharing with a state: e.g. KR.")
    )
    media_request = forms.ModelChoiceField(
        label=_("Media request"), queryset=MediaRequest.objects.none(), required=False
    )
    cases = forms.CharField(label=_("Persons it concerns"), required=False, help_text=REFERENCES_HELP)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 14}), max_length=400_000)

    def __init__(self, *args: Any, media_requests: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if media_requests is not None:
            self.fields["media_request"].queryset = media_requests  # type: ignore[attr-defined]

    def references(self) -> list[str]:
        return _references(self.cleaned_data.get("cases", ""))


class ReleaseEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    recipient = forms.CharField(label=_("Recipient"), max_length=500)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 14}), max_length=400_000)
    version = forms.IntegerField(widget=forms.HiddenInput)


class DismissForm(forms.Form):
    reason = forms.CharField(label=_("Why it identifies no one"), max_length=1000)


class TakedownForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=TakedownRequest.Status.choices)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)
