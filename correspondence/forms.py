"""Forms of the correspondence pages; they check the shape of the input, the services check the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from accounts.models import Organisation
from correspondence import rules
from correspondence.models import Correspondence, Delivery, Translation, validate_language

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
INITIAL_STATUSES = [
    (status, label)
    for status, label in Correspondence.Status.choices
    if status in {s.value for statuses in rules.INITIAL_STATUSES.values() for s in statuses}
]


class _ModelForm(forms.ModelForm):  # type: ignore[type-arg]
    def _post_clean(self) -> None:
        # The model's checks run in the service, which sets the case and the person.
        pass

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields or () if name in self.cleaned_data}


class CorrespondenceForm(_ModelForm):
    """A new item; the file input comes last, so that an upload cut off at the size limit loses no field."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=INITIAL_STATUSES,
        help_text=_("A mail request awaits a decision; incoming mail is received."),
    )
    attachment = forms.FileField(
        label=_("Attachment"),
        required=False,
        help_text=_("A scan, photo, PDF, text, audio or video file; checked by its content and stored encrypted."),
    )

    class Meta:
        model = Correspondence
        fields = (
            "direction",
            "kind",
            "status",
            "family_card_declined",
            "sender",
            "recipient",
            "written_on",
            "sent_on",
            "received_on",
            "language",
            "route",
            "content",
        )
        widgets = {
            "sender": forms.TextInput(),
            "recipient": forms.TextInput(),
            "written_on": DATE,
            "sent_on": DATE,
            "received_on": DATE,
            "content": forms.Textarea(attrs={"rows": 8}),
        }


class CorrespondenceUpdateForm(_ModelForm):
    class Meta:
        model = Correspondence
        fields = ("sender", "recipient", "written_on", "language", "route", "content")
        widgets = {
            "sender": forms.TextInput(),
            "recipient": forms.TextInput(),
            "written_on": DATE,
            "content": forms.Textarea(attrs={"rows": 8}),
        }

    @classmethod
    def initial_from(cls, item: Correspondence) -> dict[str, Any]:
        encrypted = {"sender", "recipient", "content"}
        return {
            name: str(getattr(item, name)) if name in encrypted else getattr(item, name) for name in cls.Meta.fields
        }


def _today_field(label: StrOrPromise) -> forms.DateField:
    return forms.DateField(label=label, widget=DATE, initial=timezone.localdate)


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for refusing"), max_length=2000, min_length=5, widget=forms.Textarea(attrs={"rows": 3})
    )


class SentForm(forms.Form):
    sent_on = _today_field(_("Sent on"))


class DeliveredForm(forms.Form):
    delivered_on = _today_field(_("Delivered on"))


class DeclineForm(forms.Form):
    declined_on = _today_field(_("Declined on"))


class CensorshipForm(forms.Form):
    state = forms.RegexField(
        label=_("Censoring state"),
        regex=r"^[A-Za-z]{2}$",
        max_length=2,
        help_text=_("ISO 3166 two-letter code, e.g. UA."),
        error_messages={"invalid": _("Give the state's ISO 3166 two-letter code, e.g. KR.")},
    )
    censored_on = _today_field(_("Censored on"))

    def clean_state(self) -> str:
        return str(self.cleaned_data["state"]).strip().upper()


class TranslationForm(forms.Form):
    language = forms.CharField(
        label=_("Language of the translation"), max_length=16, validators=[validate_language], initial="en"
    )
    text = forms.CharField(label=_("Translation"), max_length=100_000, widget=forms.Textarea(attrs={"rows": 6}))
    translator = forms.CharField(label=_("Translator"), max_length=300, required=False)


class AttachmentForm(forms.Form):
    attachment = forms.FileField(
        label=_("File"), help_text=_("Checked by its content (not its name) and stored encrypted.")
    )


class TranslationChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(_("Translation #%(number)s (%(language)s)") % {"number": obj.pk, "language": obj.language})


class DeliveryForm(forms.Form):
    channel = forms.ChoiceField(label=_("Where it goes"), choices=Delivery.Channel.choices)
    recipient = forms.CharField(
        label=_("Recipient"), max_length=500, help_text=_("Who receives it: a relative, an authority, an outlet.")
    )
    recipient_organisation = forms.ModelChoiceField(
        label=_("Receiving organisation"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        help_text=_("An authority that works in Passage (sharing with an organisation)."),
    )
    recipient_state = forms.RegexField(
        label=_("Receiving state"),
        regex=r"^[A-Za-z]{2}$",
        max_length=2,
        required=False,
        error_messages={"invalid": _("Give the state's ISO 3166 two-letter code, e.g. KR.")},
        help_text=_("For an authority of a state: its two-letter code, e.g. KR."),
    )
    version = forms.ChoiceField(label=_("What is sent"), choices=Delivery.Version.choices)
    translation = TranslationChoiceField(label=_("Translation"), queryset=Translation.objects.none(), required=False)
    sent_on = forms.DateField(
        label=_("Sent on"),
        widget=DATE,
        required=False,
        help_text=_("To the family or the person: leave empty while it waits to go."),
    )

    def __init__(self, *args: Any, item: Correspondence, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["translation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Translation.objects.filter(correspondence=item).order_by("pk")

    def clean_recipient_state(self) -> str:
        return str(self.cleaned_data.get("recipient_state") or "").strip().upper()


class DeliveryStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(Delivery.Status.SENT, _("Sent")), (Delivery.Status.CANCELLED, _("Cancelled"))],
    )
    sent_on = forms.DateField(label=_("Sent on"), widget=DATE, required=False)
