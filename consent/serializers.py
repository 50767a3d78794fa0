"""Input and output shapes of the consent API, one pair per operation."""

from __future__ import annotations

from rest_framework import serializers

from accounts.models import User
from consent.models import Consent, Purpose

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


class ConsentInputSerializer(serializers.Serializer[Consent]):
    purpose = serializers.ChoiceField(choices=Purpose.choices)
    recipient = _text(500, help_text="Who may receive or use it; empty when the purpose names no one.")
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

    class Meta:
        model = Consent
        fields = [
            "id",
            "purpose",
            "state",
            "is_live",
            "recipient",
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
