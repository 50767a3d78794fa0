"""Family members of a registered person, tracing requests, and the candidates a search proposes.

A family member's details are encrypted under the registered person's key; where the relative lives
is restricted (shown only to those who may read interview content) and is never exported. A tracing
request has a data key of its own, or, when a registered person seeks their family, that person's key,
so that erasing the person erases what they asked for too.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from registry.models import Case, Person
from registry.validators import validate_hangul, validate_partial_date
from vault.fields import EncryptedTextField
from vault.models import DataKey

# Fields that no API response, export or report may ever contain (PROCESS.md (b): "never exportable").
NEVER_EXPORTED: tuple[str, ...] = ("location",)


class Relation(models.TextChoices):
    FATHER = "father", _("Father")
    MOTHER = "mother", _("Mother")
    SPOUSE = "spouse", _("Spouse")
    SON = "son", _("Son")
    DAUGHTER = "daughter", _("Daughter")
    BROTHER = "brother", _("Brother")
    SISTER = "sister", _("Sister")
    GRANDPARENT = "grandparent", _("Grandparent")
    GRANDCHILD = "grandchild", _("Grandchild")
    OTHER = "other", _("Other relative")


class FamilyMember(models.Model):
    class Alive(models.TextChoices):
        YES = "yes", _("Alive")
        NO = "no", _("Deceased")
        UNKNOWN = "unknown", _("Unknown")

    class ReprisalRisk(models.TextChoices):
        NONE = "none", _("None known")
        POSSIBLE = "possible", _("Possible")
        HIGH = "high", _("High")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="family_members")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="family_members", editable=False)
    relation = models.CharField(_("relation"), max_length=16, choices=Relation.choices)
    name = EncryptedTextField(_("name"), key_owner="person", validators=[MaxLengthValidator(200)])
    location = EncryptedTextField(
        _("location"),
        key_owner="person",
        blank=True,
        validators=[MaxLengthValidator(500)],
        help_text=_("Restricted: shown only to the protection body and supervisors; never exported."),
    )
    is_alive = models.CharField(_("alive"), max_length=8, choices=Alive.choices, default=Alive.UNKNOWN)
    is_next_of_kin = models.BooleanField(_("next of kin"), default=False)
    reprisal_risk = models.CharField(
        _("risk of reprisals"), max_length=8, choices=ReprisalRisk.choices, default=ReprisalRisk.POSSIBLE
    )
    contact_allowed = models.BooleanField(
        _("contact allowed"), default=False, help_text=_("Decided by the person, never by staff.")
    )
    notes = EncryptedTextField(_("notes"), key_owner="person", blank=True, validators=[MaxLengthValidator(5000)])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("family member")
        verbose_name_plural = _("family members")

    def __str__(self) -> str:
        return f"{self.relation} #{self.pk} of {self.case_id}"


class TracingRequest(models.Model):
    class Direction(models.TextChoices):
        RELATIVE_SEEKS_PERSON = "relative_seeks_person", _("A relative seeks a detained or resettled person")
        PERSON_SEEKS_FAMILY = "person_seeks_family", _("A registered person seeks a relative")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CANDIDATES_FOUND = "candidates_found", _("Candidates found")
        CONFIRMED = "confirmed", _("Confirmed")
        CLOSED_NO_MATCH = "closed_no_match", _("Closed: no match")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    SOUGHT_FIELDS: ClassVar[tuple[str, ...]] = (
        "sought_family_name",
        "sought_given_name",
        "sought_family_name_hangul",
        "sought_given_name_hangul",
        "sought_date_of_birth",
        "sought_place_of_origin",
    )
    FINISHED: ClassVar[frozenset[str]] = frozenset({Status.CONFIRMED, Status.CLOSED_NO_MATCH, Status.WITHDRAWN})

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="tracing_requests")
    data_key = models.ForeignKey(
        DataKey, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    direction = models.CharField(_("direction"), max_length=24, choices=Direction.choices)
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tracing_requests",
        verbose_name=_("case of the person seeking"),
    )
    sought_family_name = EncryptedTextField(
        _("family name (romanised)"), blank=True, validators=[MaxLengthValidator(100)]
    )
    sought_given_name = EncryptedTextField(
        _("given name (romanised)"), blank=True, validators=[MaxLengthValidator(100)]
    )
    sought_family_name_hangul = EncryptedTextField(
        _("family name (Hangul)"), blank=True, validators=[MaxLengthValidator(20), validate_hangul]
    )
    sought_given_name_hangul = EncryptedTextField(
        _("given name (Hangul)"), blank=True, validators=[MaxLengthValidator(20), validate_hangul]
    )
    sought_date_of_birth = EncryptedTextField(
        _("date of birth"),
        blank=True,
        validators=[MaxLengthValidator(10), validate_partial_date],
        help_text=_("YYYY, YYYY-MM or YYYY-MM-DD"),
    )
    sought_place_of_origin = EncryptedTextField(_("place of origin"), blank=True, validators=[MaxLengthValidator(200)])
    enquirer_name = EncryptedTextField(_("enquirer's name"), blank=True, validators=[MaxLengthValidator(200)])
    enquirer_contact = EncryptedTextField(_("enquirer's contact"), blank=True, validators=[MaxLengthValidator(500)])
    relation = models.CharField(
        _("relation"),
        max_length=16,
        choices=Relation.choices,
        help_text=_("What the person sought is to the one seeking (e.g. son)."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "status"], name="tracing_request_org_status")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(direction="relative_seeks_person", case__isnull=True)
                | models.Q(direction="person_seeks_family", case__isnull=False),
                name="tracing_request_case_matches_direction",
                violation_error_message=_(
                    "A registered person seeking a relative needs their case; no one else has one."
                ),
            )
        ]
        verbose_name = _("tracing request")
        verbose_name_plural = _("tracing requests")

    def __str__(self) -> str:
        return f"tracing request #{self.pk} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED


class TracingMatch(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")

    request = models.ForeignKey(TracingRequest, on_delete=models.CASCADE, related_name="matches")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("score"))
    name_score = models.FloatField(_("name score"))
    date_of_birth_agrees = models.BooleanField(_("date of birth agrees"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    review_note = EncryptedTextField(
        _("review note"), key_owner="request", blank=True, validators=[MaxLengthValidator(2000)]
    )
    proposed_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-score", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "person"], name="tracing_match_one_per_person"),
            models.CheckConstraint(
                condition=models.Q(score__gte=0, score__lte=1), name="tracing_match_score_is_a_probability"
            ),
        ]
        verbose_name = _("tracing match")
        verbose_name_plural = _("tracing matches")

    def __str__(self) -> str:
        return f"match #{self.pk} of tracing request #{self.request_id} ({self.status})"
