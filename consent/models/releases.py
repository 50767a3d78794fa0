"""Releases: every text that leaves Passage (a press release, a letter forwarded to the press or to
an authority, an export note, report commentary, media material), with its disclosure check.

A release is blocked while a finding that could identify someone is unresolved (PROCESS.md (c) 17);
it needs a live consent of every person it concerns for its purpose and the approval of a separate
review (rule 18); revoking such a consent cancels it while it is pending and, once released, opens a
takedown follow-up. The text is encrypted under the release's own data key: erasing a person it
concerns or names destroys that key (consent.services.releases_shred_for_person).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from consent.disclosure.types import Kind as FindingKind
from consent.disclosure.types import Severity
from consent.models.consents import Consent, Purpose
from consent.models.media import MediaRequest
from registry.models import Case
from vault.fields import EncryptedTextField
from vault.models import DataKey


class Release(models.Model):
    class Kind(models.TextChoices):
        PRESS_RELEASE = "press_release", _("Press release")
        LETTER_FORWARDED = "letter_forwarded", _("Letter forwarded")
        MEDIA_MATERIAL = "media_material", _("Media material (article, broadcast script)")
        EXPORT_NOTE = "export_note", _("Export note")
        REPORT_COMMENTARY = "report_commentary", _("Report commentary")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("Awaiting review")
        APPROVED = "approved", _("Approved")
        RELEASED = "released", _("Released")
        REFUSED = "refused", _("Refused")
        CANCELLED = "cancelled", _("Cancelled")

    PENDING: ClassVar[frozenset[str]] = frozenset({Status.DRAFT, Status.IN_REVIEW, Status.APPROVED})

    class CancelReason(models.TextChoices):
        WITHDRAWN = "withdrawn", _("Withdrawn by its author")
        CONSENT_REVOKED = "consent_revoked", _("A person revoked the consent it needed")
        MEDIA_REQUEST_CLOSED = "media_request_closed", _("Its media request was cancelled")
        PERSON_ERASED = "person_erased", _("A person it concerns was erased")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="releases")
    data_key = models.ForeignKey(
        DataKey, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    purpose = models.CharField(
        _("purpose"),
        max_length=32,
        choices=Purpose.choices,
        help_text=_("The use every person it concerns must have consented to."),
    )
    title = EncryptedTextField(_("title"), validators=[MaxLengthValidator(300)])
    recipient = EncryptedTextField(
        _("recipient"), validators=[MaxLengthValidator(500)], help_text=_("Who receives it: outlet, authority.")
    )
    recipient_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recipient organisation"),
        help_text=_("When an organisation in Passage receives it (sharing)."),
    )
    recipient_state = models.CharField(_("recipient state"), max_length=2, blank=True)
    media_request = models.ForeignKey(
        MediaRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="releases"
    )
    text = EncryptedTextField(_("text"), validators=[MaxLengthValidator(400_000)])
    original_text = EncryptedTextField(
        _("text as first written"), blank=True, editable=False, validators=[MaxLengthValidator(400_000)]
    )
    text_version = models.PositiveIntegerField(default=1, editable=False)
    checked_version = models.PositiveIntegerField(
        default=0, editable=False, help_text=_("The text version the findings are for.")
    )
    checked_at = models.DateTimeField(null=True, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    cancel_reason = models.CharField(_("cancelled because"), max_length=24, choices=CancelReason.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    reviewed_version = models.PositiveIntegerField(default=0, editable=False)
    review_note = EncryptedTextField(_("review note"), blank=True, validators=[MaxLengthValidator(5000)])
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    released_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    cases: models.ManyToManyField[Case, ReleaseCase] = models.ManyToManyField(
        Case, through="ReleaseCase", related_name="releases", blank=True
    )

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "status"], name="release_org_status")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancel_reason=""), name="release_cancellation_says_why"
            ),
            models.CheckConstraint(
                condition=Q(reviewed_by__isnull=True) | ~Q(reviewed_by=F("created_by")),
                name="release_reviewer_is_not_its_author",
            ),
            models.CheckConstraint(
                condition=~Q(status="released") | Q(reviewed_version=F("text_version")),
                name="release_released_as_reviewed",
            ),
        ]
        verbose_name = _("release")
        verbose_name_plural = _("releases")

    def __str__(self) -> str:
        # Never the title: it may name someone.
        return f"release #{self.pk} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status in self.PENDING

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_checked(self) -> bool:
        return self.checked_version == self.text_version


class ReleaseCase(models.Model):
    """A person the release concerns: their consent for its purpose is needed."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="release_cases")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["release", "case"], name="release_case_once")]
        verbose_name = _("person concerned")
        verbose_name_plural = _("persons concerned")

    def __str__(self) -> str:
        return f"{self.case_id} in release #{self.release_id}"


class ReleaseFinding(models.Model):
    """One finding of the disclosure check on one version of a release's text. Offsets into that
    version; the span itself is not stored (it is in the encrypted text)."""

    class Decision(models.TextChoices):
        OPEN = "", _("Open")
        DISMISSED = "dismissed", _("Not identifying (reason given)")

    KIND_CHOICES: ClassVar[list[tuple[str, str]]] = [(k.value, k.value) for k in FindingKind]
    SEVERITY_CHOICES: ClassVar[list[tuple[str, str]]] = [(s.value, s.value) for s in Severity]

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="findings")
    text_version = models.PositiveIntegerField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    severity = models.CharField(max_length=12, choices=SEVERITY_CHOICES)
    rule = models.CharField(max_length=40)
    replacement = models.CharField(max_length=40)
    person_ids = models.JSONField(default=list, blank=True, help_text=_("Registered persons it may identify."))
    parts = models.JSONField(default=list, blank=True, help_text=_("Member spans of a combination."))
    decision = models.CharField(max_length=12, choices=Decision.choices, blank=True, default="")
    decision_reason = EncryptedTextField(key_owner="release", blank=True, validators=[MaxLengthValidator(1000)])
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["start", "end", "pk"]
        indexes = [models.Index(fields=["release", "text_version"], name="release_finding_version")]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="release_finding_span_not_empty"),
        ]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self) -> str:
        return f"{self.kind} finding #{self.pk} of release #{self.release_id}"

    @property
    def is_blocking(self) -> bool:
        return self.severity == Severity.IDENTIFYING.value


class TakedownRequest(models.Model):
    """A follow-up opened when a person revokes a consent that a released text relied on: ask the
    recipient to take it down. The person is told up front that what is published cannot be fully
    recalled (PROCESS.md 4)."""

    class Status(models.TextChoices):
        OPEN = "open", _("To send")
        REQUESTED = "requested", _("Takedown requested")
        DONE = "done", _("Taken down")
        REFUSED = "refused", _("Refused by the recipient")

    FINISHED: ClassVar[frozenset[str]] = frozenset({Status.DONE, Status.REFUSED})

    release = models.ForeignKey(Release, on_delete=models.PROTECT, related_name="takedowns")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="takedowns")
    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="takedowns")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    due_on = models.DateField(_("due on"))
    notes = EncryptedTextField(_("notes"), key_owner="case.person", blank=True, validators=[MaxLengthValidator(2000)])
    opened_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["release", "consent"], name="takedown_once_per_release_and_consent"),
        ]
        verbose_name = _("takedown request")
        verbose_name_plural = _("takedown requests")

    def __str__(self) -> str:
        return f"takedown #{self.pk} of release #{self.release_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status not in self.FINISHED
