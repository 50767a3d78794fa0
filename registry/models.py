"""Persons, their cases, aliases and custody records.

Every identifying field is an `EncryptedTextField`: encrypted at rest under the person's own
data key (see `vault`). Search goes through blind indexes, never through these columns.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Team
from protection.stages import Stage
from registry.validators import validate_hangul, validate_partial_date, validate_reference
from vault.fields import EncryptedTextField
from vault.models import DataKey


class Person(models.Model):
    class Sex(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")
        OTHER = "other", _("Other")
        UNKNOWN = "unknown", _("Unknown")

    IDENTIFYING_FIELDS: ClassVar[tuple[str, ...]] = (
        "family_name",
        "given_name",
        "family_name_hangul",
        "given_name_hangul",
        "date_of_birth",
        "place_of_origin",
        "unit",
        "rank",
        "notes",
    )

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="persons")
    data_key = models.OneToOneField(
        DataKey, on_delete=models.SET_NULL, null=True, blank=True, related_name="person", editable=False
    )
    family_name = EncryptedTextField(_("family name"), validators=[MaxLengthValidator(100)])
    given_name = EncryptedTextField(_("given name"), validators=[MaxLengthValidator(100)])
    family_name_hangul = EncryptedTextField(
        _("family name (Hangul)"), blank=True, validators=[MaxLengthValidator(20), validate_hangul]
    )
    given_name_hangul = EncryptedTextField(
        _("given name (Hangul)"), blank=True, validators=[MaxLengthValidator(20), validate_hangul]
    )
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    date_of_birth = EncryptedTextField(
        _("date of birth"),
        blank=True,
        validators=[MaxLengthValidator(10), validate_partial_date],
        help_text=_("YYYY, YYYY-MM or YYYY-MM-DD"),
    )
    place_of_origin = EncryptedTextField(_("place of origin"), blank=True, validators=[MaxLengthValidator(200)])
    unit = EncryptedTextField(_("military unit"), blank=True, validators=[MaxLengthValidator(200)])
    rank = EncryptedTextField(_("rank"), blank=True, validators=[MaxLengthValidator(100)])
    notes = EncryptedTextField(_("notes"), blank=True, validators=[MaxLengthValidator(10000)])
    languages = models.JSONField(_("languages"), default=list, blank=True)
    protection_concern = models.BooleanField(
        _("protection concern"),
        default=False,
        help_text=_("Family at risk of reprisals; route notifications through the Central Tracing Agency."),
    )
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self) -> str:
        # Never the name: string forms end up in logs and error messages.
        return f"person #{self.pk}"

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None


class Alias(models.Model):
    class Kind(models.TextChoices):
        ALIAS = "alias", _("Alias")
        CLAIMED_IDENTITY = "claimed_identity", _("Claimed identity")
        DOCUMENT_NAME = "document_name", _("Name on a document")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    name = EncryptedTextField(_("name"), key_owner="person", validators=[MaxLengthValidator(200)])
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ALIAS)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")

    def __str__(self) -> str:
        return f"alias #{self.pk} of person #{self.person_id}"


class Case(models.Model):
    class EntryRoute(models.TextChoices):
        PRISONER = "prisoner", _("Prisoner of war")
        DEFECTOR = "defector", _("Defector or escapee")

    reference = models.CharField(_("reference"), max_length=13, unique=True, validators=[validate_reference])
    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="case")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="cases")
    stage = models.CharField(_("stage"), max_length=32, choices=Stage.choices, default=Stage.REGISTERED)
    entry_route = models.CharField(
        _("entry route"), max_length=16, choices=EntryRoute.choices, default=EntryRoute.PRISONER
    )
    version = models.PositiveIntegerField(default=1, help_text=_("Raised by every edit; guards against lost updates."))
    is_erased = models.BooleanField(
        default=False, editable=False, help_text=_("The person's data was crypto-shredded; lists leave the case out.")
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="merged_cases",
        help_text=_("This case was found to be a duplicate and merged into that one; lists leave it out."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at", "reference"]
        indexes = [models.Index(fields=["organisation", "stage"])]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self) -> str:
        return self.reference


class CaseAssignment(models.Model):
    """A case is visible to the members of the teams it is assigned to (need-to-know)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="assignments")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "team"], name="assignment_unique_case_team")]
        verbose_name = _("case assignment")
        verbose_name_plural = _("case assignments")

    def __str__(self) -> str:
        return f"{self.case} → {self.team}"


class Custody(models.Model):
    class Kind(models.TextChoices):
        TRANSIT = "transit", _("Transit")
        CAMP = "camp", _("Camp")
        HOSPITAL = "hospital", _("Hospital")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="custody_records")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", editable=False)
    facility = EncryptedTextField(_("facility"), key_owner="person", validators=[MaxLengthValidator(200)])
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    from_date = models.DateField(_("from"))
    to_date = models.DateField(_("to"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-from_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_date__isnull=True) | Q(to_date__gte=F("from_date")),
                name="custody_ends_after_it_starts",
                violation_error_message=_("The end date must be on or after the start date."),
            )
        ]
        verbose_name = _("custody record")
        verbose_name_plural = _("custody records")

    def __str__(self) -> str:
        return f"custody #{self.pk} of {self.case_id}"

    def clean(self) -> None:
        if self.to_date is not None and self.from_date is not None and self.to_date < self.from_date:
            raise ValidationError({"to_date": _("The end date must be on or after the start date.")})

    @property
    def is_current(self) -> bool:
        return self.to_date is None


class Erasure(models.Model):
    """The tombstone left when a person's data is crypto-shredded: who, when, why; never who it was."""

    reference = models.CharField(_("reference"), max_length=13, unique=True)
    person_id_at_erasure = models.PositiveBigIntegerField()
    data_key_id_at_erasure = models.PositiveBigIntegerField(null=True)
    erased_at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    actor_label = models.CharField(max_length=254)
    reason = models.TextField(_("reason"))

    class Meta:
        ordering = ["-erased_at"]
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")

    def __str__(self) -> str:
        return f"erasure of {self.reference}"


class ImportJob(models.Model):
    """A web import running in the background, with its progress. Holds no file content and no name."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("Checking every row")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        REFUSED = "refused", _("Refused: nothing was imported")
        FAILED = "failed", _("Failed: nothing was imported")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file_kind = models.CharField(max_length=8)
    file_size = models.PositiveIntegerField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.CHECKING)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True, help_text=_("Line, column and reason of each problem."))
    possible_duplicates = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self) -> str:
        return f"import #{self.pk} ({self.status})"

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.IMPORTING)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


class DuplicateCandidate(models.Model):
    """Two persons who may be one: found when a person is created or imported, or by `passage link run`.

    A reviewer who may see both cases merges them or marks them distinct; a pair marked distinct is
    not proposed again. Scores only: no name or other protected value is stored here."""

    class Source(models.TextChoices):
        CREATE = "create", _("Registration")
        IMPORT = "import", _("Import")
        EDIT = "edit", _("Edit")
        LINK_RUN = "link_run", _("Batch linkage")

    class Status(models.TextChoices):
        OPEN = "open", _("To review")
        MERGED = "merged", _("Merged")
        DISTINCT = "distinct", _("Distinct persons")

    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("score"))
    name_score = models.FloatField(_("name score"))
    date_of_birth_agrees = models.BooleanField(_("date of birth agrees"), null=True)
    source = models.CharField(_("found by"), max_length=16, choices=Source.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    found_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-score", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="duplicate_candidate_unique_pair"),
            models.CheckConstraint(condition=Q(person_a__lt=F("person_b")), name="duplicate_candidate_ordered_pair"),
        ]
        indexes = [models.Index(fields=["status", "-score"])]
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")

    def __str__(self) -> str:
        return f"possible duplicate #{self.pk} (person #{self.person_a_id} / #{self.person_b_id})"


class LinkRun(models.Model):
    """One run of `passage link run` (batch deduplication of the whole registry), with its progress."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RUNNING)
    step = models.CharField(max_length=64, blank=True, help_text=_("What the run is doing now."))
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    persons = models.PositiveIntegerField(default=0)
    pairs_found = models.PositiveIntegerField(default=0)
    pairs_new = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("batch linkage run")
        verbose_name_plural = _("batch linkage runs")

    def __str__(self) -> str:
        return f"link run #{self.pk} ({self.status})"

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0
