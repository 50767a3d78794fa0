"""Per-purpose consents of a person (PROCESS.md (b) Consent; section 4 on media and consent).

A consent is live while it is not revoked, not past its expiry date, and the case is still at the
lifecycle stage it was given at: every change of stage makes it lapse, so it must be confirmed again.
What it covers (recipient, scope), who took it and the notes are encrypted under the person's key.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from protection.stages import Stage
from registry.models import Case, Person
from vault.fields import EncryptedTextField

# Purposes that share the person's data with someone outside the organisation holding the case:
# their consents name the recipient as a record (an organisation of Passage or a state), so that a
# share can be checked against them.
SHARING_PURPOSES = frozenset({"sharing_with_organisation", "sharing_with_state"})


class Purpose(models.TextChoices):
    INTERVIEW = "interview", _("Interview")
    AUDIO = "audio", _("Audio recording")
    IMAGE = "image", _("Image (photo or video)")
    PUBLICATION_OF_LETTER = "publication_of_letter", _("Publication of a letter")
    SHARING_WITH_ORGANISATION = "sharing_with_organisation", _("Sharing with an organisation")
    SHARING_WITH_STATE = "sharing_with_state", _("Sharing with a state")
    TRACING = "tracing", _("Tracing of family")
    RESEARCH = "research", _("Research")


class Consent(models.Model):
    class RevocationChannel(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        THROUGH_INTERPRETER = "through_interpreter", _("Through an interpreter")
        LETTER = "letter", _("By letter")
        THROUGH_ORGANISATION = "through_organisation", _("Through an organisation (ICRC, NGO, lawyer)")
        OTHER = "other", _("Other")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents", editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    purpose = models.CharField(_("purpose"), max_length=32, choices=Purpose.choices)
    recipient = EncryptedTextField(
        _("recipient"),
        key_owner="person",
        blank=True,
        validators=[MaxLengthValidator(500)],
        help_text=_("Who may receive or use it; empty when the purpose names no one."),
    )
    recipient_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recipient organisation"),
        help_text=_("For sharing with an organisation: the organisation in Passage that may receive the data."),
    )
    recipient_state = models.CharField(
        _("recipient state"),
        max_length=2,
        blank=True,
        help_text=_("For sharing with a state: its ISO 3166 two-letter code, e.g. KR."),
    )
    scope = EncryptedTextField(
        _("scope"),
        key_owner="person",
        validators=[MaxLengthValidator(2000)],
        help_text=_("Which fields or media the consent covers."),
    )
    information_version = models.CharField(
        _("information given (version)"),
        max_length=40,
        blank=True,
        help_text=_("The version of the information sheet explained to the person."),
    )
    language = models.CharField(_("language"), max_length=40, blank=True, help_text=_("e.g. Korean (northern)"))
    interpreter = EncryptedTextField(
        _("interpreter"), key_owner="person", blank=True, validators=[MaxLengthValidator(200)]
    )
    taken_by = EncryptedTextField(
        _("taken by"),
        key_owner="person",
        validators=[MaxLengthValidator(200)],
        help_text=_("The officer who took it: independent of the detaining power and of the outlet."),
    )
    witness = EncryptedTextField(_("witness"), key_owner="person", blank=True, validators=[MaxLengthValidator(200)])
    given_on = models.DateField(_("given on"))
    expires_on = models.DateField(
        _("expires on"), null=True, blank=True, help_text=_("The last day it holds; empty for no fixed date.")
    )
    lifecycle_stage_at_consent = models.CharField(
        _("stage when given"), max_length=32, choices=Stage.choices, editable=False
    )
    notes = EncryptedTextField(_("notes"), key_owner="person", blank=True, validators=[MaxLengthValidator(5000)])
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    revocation_channel = models.CharField(
        _("revoked through"), max_length=32, choices=RevocationChannel.choices, blank=True, editable=False
    )

    class Meta:
        ordering = ["-given_on", "-pk"]
        indexes = [models.Index(fields=["purpose", "revoked_at"], name="consent_purpose_revoked")]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=F("given_on")),
                name="consent_expires_after_it_is_given",
                violation_error_message=_("A consent cannot expire before it was given."),
            ),
            models.CheckConstraint(
                condition=~Q(purpose="sharing_with_state") | ~Q(recipient_state=""),
                name="consent_sharing_with_a_state_names_it",
                violation_error_message=_("Name the state the data may be shared with."),
            ),
            models.CheckConstraint(
                condition=~Q(purpose="sharing_with_organisation") | Q(recipient_organisation__isnull=False),
                name="consent_sharing_with_an_organisation_names_it",
                violation_error_message=_("Name the organisation the data may be shared with."),
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_channel=""),
                name="consent_revocation_names_its_channel",
                violation_error_message=_("Say how the person revoked the consent."),
            ),
        ]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.purpose} consent #{self.pk} of {self.case_id}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_expired(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.expires_on is not None and self.expires_on < today

    @property
    def has_lapsed_by_stage(self) -> bool:
        """The case changed stage since the consent was given: it must be confirmed again."""
        return self.lifecycle_stage_at_consent != self.case.stage

    @property
    def is_live(self) -> bool:
        return not self.is_revoked and not self.is_expired() and not self.has_lapsed_by_stage

    @property
    def state(self) -> str:
        """Why the consent holds or not, in one word (for lists and the API)."""
        if self.is_revoked:
            return "revoked"
        if self.is_expired():
            return "expired"
        if self.has_lapsed_by_stage:
            return "lapsed"
        return "live"
