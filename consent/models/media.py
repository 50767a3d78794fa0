"""Media requests: an outlet asks to interview, record, photograph or publish someone (PROCESS.md 4).

Approval needs a live consent of every requested person for every purpose asked *and* a separate
review by a supervisor (GC III Art. 13 protects against public curiosity; Art. 7: the protection
cannot be waived, so consent alone never suffices). What the outlet asks and the reviewer's reasons
are encrypted under the request's own data key; the outlet's name is not about a protected person.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from registry.models import Case
from vault.fields import EncryptedTextField
from vault.models import DataKey

# The purposes an outlet may ask for (consent.models.Purpose values).
MEDIA_PURPOSES: tuple[str, ...] = ("interview", "audio", "image", "publication_of_letter")


class MediaRequest(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("Awaiting review")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        CANCELLED = "cancelled", _("Cancelled")
        COMPLETED = "completed", _("Completed")

    OPEN: ClassVar[frozenset[str]] = frozenset({Status.DRAFT, Status.IN_REVIEW, Status.APPROVED})

    class CancelReason(models.TextChoices):
        WITHDRAWN = "withdrawn", _("Withdrawn by the organisation")
        CONSENT_REVOKED = "consent_revoked", _("A person revoked their consent")
        OUTLET_WITHDREW = "outlet_withdrew", _("The outlet withdrew the request")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="media_requests")
    data_key = models.ForeignKey(
        DataKey, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    outlet = models.CharField(_("outlet"), max_length=200, help_text=_("The newspaper, broadcaster or producer."))
    purposes = models.JSONField(
        _("purposes"), default=list, help_text=_("What the outlet asks for: interview, audio, image, publication.")
    )
    description = EncryptedTextField(
        _("what is asked"), validators=[MaxLengthValidator(5000)], help_text=_("The outlet's request, in its words.")
    )
    outlet_contact = EncryptedTextField(_("outlet contact"), blank=True, validators=[MaxLengthValidator(500)])
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    cancel_reason = models.CharField(_("cancelled because"), max_length=20, choices=CancelReason.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    review_reasons = EncryptedTextField(_("reasons of the review"), blank=True, validators=[MaxLengthValidator(5000)])
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "status"], name="media_request_org_status")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancel_reason=""),
                name="media_request_cancellation_says_why",
            ),
            models.CheckConstraint(
                condition=Q(reviewed_by__isnull=True) | ~Q(reviewed_by=models.F("created_by")),
                name="media_request_reviewer_is_not_its_author",
            ),
        ]
        verbose_name = _("media request")
        verbose_name_plural = _("media requests")

    def __str__(self) -> str:
        return f"media request #{self.pk} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class MediaRequestPerson(models.Model):
    """A person the outlet asks for. Withdrawn when they revoke a consent the request needs."""

    media_request = models.ForeignKey(MediaRequest, on_delete=models.CASCADE, related_name="persons")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="media_requests")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["media_request", "case"], name="media_request_person_once"),
        ]
        verbose_name = _("person asked for")
        verbose_name_plural = _("persons asked for")

    def __str__(self) -> str:
        return f"{self.case_id} in media request #{self.media_request_id}"
