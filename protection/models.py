"""Records of the protection lifecycle (PROCESS.md section (b)): interviews, the Art. 122 record,
risk assessments, protection requests, acceptances, transfers, proceedings, death records,
notification events, the stage history, deadline extensions and alerts.

Anything a person said, and anything that places or identifies them, is an `EncryptedTextField`
under the person's data key. Country codes, dates, kinds and yes/no facts stay readable: the
guards and alerts work on them without decrypting anything.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Organisation
from protection.guards import InterviewKind, StatedWish
from protection.stages import Stage
from registry.models import Case, Person
from vault.fields import EncryptedTextField

COUNTRY_HELP = _("ISO 3166 two-letter code, e.g. KR, KP, UA.")


class CaseRecord(models.Model):
    """Common columns: the case, the person whose key protects the row, who recorded it and when."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        abstract = True


class Interview(CaseRecord):
    class Kind(models.TextChoices):  # the values of protection.guards.InterviewKind
        REGISTRATION = InterviewKind.REGISTRATION.value, _("Registration")
        WISH_VERIFICATION = InterviewKind.WISH_VERIFICATION.value, _("Wish verification")
        HANDOVER_RECONFIRMATION = InterviewKind.HANDOVER_RECONFIRMATION.value, _("Handover reconfirmation")
        SCREENING = InterviewKind.SCREENING.value, _("Screening")
        MEDIA = InterviewKind.MEDIA.value, _("Media")
        EXTERNAL_STATEMENT = InterviewKind.EXTERNAL_STATEMENT.value, _("External statement (letter, press)")

    class Wish(models.TextChoices):  # the values of protection.guards.StatedWish
        GO = StatedWish.GO.value, _("To go to the stated destination")
        RETURN = StatedWish.RETURN.value, _("To return home")
        STAY = StatedWish.STAY.value, _("To stay in the detaining state")
        UNDECIDED = StatedWish.UNDECIDED.value, _("Undecided or not stated")
        WITHDRAWN = StatedWish.WITHDRAWN.value, _("Withdraws an earlier wish")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="interviews")
    kind = models.CharField(_("type"), max_length=32, choices=Kind.choices)
    held_on = models.DateField(_("date"))
    place = EncryptedTextField(_("place"), key_owner="person", blank=True, validators=[MaxLengthValidator(200)])
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("interviewer"),
        help_text=_("Empty for letters and press statements."),
    )
    interviewer_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    independence_declared = models.BooleanField(
        _("interviewer signed a conflict-of-interest declaration"), default=False
    )
    interpreter = EncryptedTextField(
        _("interpreter"),
        key_owner="person",
        blank=True,
        validators=[MaxLengthValidator(200)],
        help_text=_("Name and organisation; empty when none was needed."),
    )
    interpreter_is_independent = models.BooleanField(
        _("interpreter is independent and bound by confidentiality"), default=False
    )
    language = models.CharField(_("language"), max_length=40, blank=True, help_text=_("e.g. Korean (northern)"))
    korean_spoken = models.BooleanField(
        _("the interviewer or the interpreter speaks the person's Korean"), default=False
    )
    present = EncryptedTextField(
        _("everyone present"), key_owner="person", blank=True, validators=[MaxLengthValidator(2000)]
    )
    is_private = models.BooleanField(_("private (no one within earshot but those listed)"), default=False)
    detaining_power_present = models.BooleanField(_("detaining-power staff present"), default=False)
    receiving_state_present = models.BooleanField(_("receiving-state staff present"), default=False)
    options_briefing_given = models.BooleanField(
        _("options briefing given first (return, stay, third state; no consequences)"), default=False
    )
    understanding_confirmed = models.BooleanField(_("the person confirmed they understood"), default=False)
    fit_for_interview = models.BooleanField(_("a clinician found the person fit for interview"), default=False)
    fitness_note = EncryptedTextField(
        _("fitness note"), key_owner="person", blank=True, validators=[MaxLengthValidator(2000)]
    )
    stated_wish = models.CharField(_("stated wish"), max_length=16, choices=Wish.choices, default=StatedWish.UNDECIDED)
    stated_destination = models.CharField(_("stated destination"), max_length=2, blank=True, help_text=COUNTRY_HELP)
    reasons = EncryptedTextField(
        _("stated reasons"), key_owner="person", blank=True, validators=[MaxLengthValidator(10000)]
    )
    source = EncryptedTextField(
        _("source"),
        key_owner="person",
        blank=True,
        validators=[MaxLengthValidator(500)],
        help_text=_("For an external statement: the letter, article or broadcast it came from."),
    )

    class Meta:
        ordering = ["held_on", "pk"]
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")

    def __str__(self) -> str:
        return f"{self.kind} interview #{self.pk} in {self.case_id}"


class NibRecord(CaseRecord):
    """The Art. 122 record sent to the National Information Bureau: each field filled or marked
    not available. Names, rank and date and place of birth come from the person."""

    EXTRA_FIELDS = (
        "serial_number",
        "power_depended_on",
        "father_first_name",
        "mother_maiden_name",
        "person_to_inform",
        "correspondence_address",
    )
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="nib_record")
    serial_number = EncryptedTextField(
        _("army, regimental, personal or serial number"),
        key_owner="person",
        blank=True,
        validators=[MaxLengthValidator(100)],
    )
    power_depended_on = models.JSONField(
        _("Power depended on (claimed)"),
        default=list,
        blank=True,
        help_text=_("Country codes; several when disputed."),
    )
    father_first_name = EncryptedTextField(
        _("father's first name"), key_owner="person", blank=True, validators=[MaxLengthValidator(100)]
    )
    mother_maiden_name = EncryptedTextField(
        _("mother's maiden name"), key_owner="person", blank=True, validators=[MaxLengthValidator(100)]
    )
    person_to_inform = EncryptedTextField(
        _("name and address of the person to be informed"),
        key_owner="person",
        blank=True,
        validators=[MaxLengthValidator(500)],
    )
    correspondence_address = EncryptedTextField(
        _("address for correspondence"), key_owner="person", blank=True, validators=[MaxLengthValidator(500)]
    )
    not_available = models.JSONField(
        _("fields marked not available"), default=list, blank=True, help_text=_("Art. 122: 'in so far as available'.")
    )

    class Meta:
        verbose_name = _("Art. 122 record")
        verbose_name_plural = _("Art. 122 records")

    def __str__(self) -> str:
        return f"Art. 122 record of {self.case_id}"


class RiskAssessment(CaseRecord):
    """Non-refoulement assessment for one destination (2020 ICRC Commentary, Art. 118)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="risk_assessments")
    destination = models.CharField(_("destination"), max_length=2, help_text=COUNTRY_HELP)
    assessed_on = models.DateField(_("assessed on"))
    protecting_body_consulted = models.BooleanField(_("the ICRC or Protecting Power was consulted"), default=False)
    risk_found = models.BooleanField(
        _("substantial grounds to believe the person risks killing, torture, ill-treatment or persecution"),
        default=True,
    )
    reasons = EncryptedTextField(_("reasons"), key_owner="person", validators=[MaxLengthValidator(10000)])

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")

    def __str__(self) -> str:
        return f"risk assessment #{self.pk} ({self.destination}) of {self.case_id}"


class ProtectionRequest(CaseRecord):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="protection_requests")
    receiving_state = models.CharField(_("receiving state"), max_length=2, help_text=COUNTRY_HELP)
    requested_on = models.DateField(_("requested on"))
    made_in_person = models.BooleanField(_("application made in person"), default=False)
    in_person_exception = EncryptedTextField(
        _("why not in person"), key_owner="person", blank=True, validators=[MaxLengthValidator(2000)]
    )
    entered_receiving_state_on = models.DateField(
        _("entered the receiving state's territory on"),
        null=True,
        blank=True,
        help_text=_("For Art. 9 review: an application long after entry is flagged."),
    )

    class Meta:
        ordering = ["-requested_on", "-pk"]
        verbose_name = _("protection request")
        verbose_name_plural = _("protection requests")

    def __str__(self) -> str:
        return f"protection request #{self.pk} of {self.case_id}"


class LegalBasis(models.TextChoices):
    RELEASE_AND_APPLICATION = "release_and_application", _("Release in the detaining state, then an application")
    NEUTRAL_STATE_TRANSFER = "neutral_state_transfer", _("Transfer to a neutral state by agreement (Arts. 109-111)")
    DIRECT_TRANSFER = "direct_transfer", _("Direct transfer by agreement between the states")
    OTHER = "other", _("Other (explain in the reference)")


class Acceptance(CaseRecord):
    """The receiving state's written acceptance."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="acceptances")
    receiving_state = models.CharField(_("receiving state"), max_length=2, help_text=COUNTRY_HELP)
    decided_on = models.DateField(_("decided on"))
    is_written = models.BooleanField(_("a written decision is on file"), default=False)
    document_reference = models.CharField(_("document reference"), max_length=100, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=32, choices=LegalBasis.choices, blank=True)

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("acceptance")
        verbose_name_plural = _("acceptances")

    def __str__(self) -> str:
        return f"acceptance #{self.pk} ({self.receiving_state}) of {self.case_id}"


class Transfer(CaseRecord):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transfers")
    from_place = EncryptedTextField(
        pgettext_lazy("place", "from"), key_owner="person", validators=[MaxLengthValidator(200)]
    )
    to_state = models.CharField(_("to (state)"), max_length=2, help_text=COUNTRY_HELP)
    legal_basis = models.CharField(_("legal basis"), max_length=32, choices=LegalBasis.choices)
    acceptance = models.ForeignKey(Acceptance, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    scheduled_for = models.DateField(_("scheduled for"))
    escort = EncryptedTextField(_("escort"), key_owner="person", blank=True, validators=[MaxLengthValidator(500)])
    neutral_witness = EncryptedTextField(
        _("neutral witness (ICRC)"), key_owner="person", blank=True, validators=[MaxLengthValidator(200)]
    )
    protecting_body_notified = models.BooleanField(_("Protecting Power / ICRC notified"), default=False)
    valuables_inventory_ready = models.BooleanField(_("valuables inventory ready"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    handover_reconfirmation = models.ForeignKey(
        Interview, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-scheduled_for", "-pk"]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")

    def __str__(self) -> str:
        return f"transfer #{self.pk} ({self.to_state}) of {self.case_id}"


class Proceedings(CaseRecord):
    """Indictable proceedings under GC III Art. 119(5): they block a transfer while open."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="proceedings")
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    description = EncryptedTextField(_("description"), key_owner="person", validators=[MaxLengthValidator(2000)])
    other_party_notified_on = models.DateField(_("other party notified on"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("opened_on")),
                name="proceedings_close_after_they_open",
                violation_error_message=_("Proceedings cannot close before they open."),
            )
        ]
        verbose_name = _("proceedings")
        verbose_name_plural = _("proceedings")

    def __str__(self) -> str:
        return f"proceedings #{self.pk} of {self.case_id}"

    @property
    def is_pending(self) -> bool:
        return self.closed_on is None


class DeathCause(models.TextChoices):
    ILLNESS = "illness", _("Illness")
    WOUNDS = "wounds", _("Wounds")
    ACCIDENT = "accident", _("Accident")
    SENTRY = "sentry", _("Caused by a sentry")
    ANOTHER_PRISONER = "another_prisoner", _("Caused by another prisoner")
    UNKNOWN = "unknown", _("Unknown")


class DeathRecord(CaseRecord):
    """The Art. 120 certificate's content."""

    ENQUIRY_CAUSES = (DeathCause.SENTRY, DeathCause.ANOTHER_PRISONER, DeathCause.UNKNOWN)
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="death_record")
    died_on = models.DateField(_("date of death"))
    cause = models.CharField(_("cause"), max_length=20, choices=DeathCause.choices)
    cause_detail = EncryptedTextField(
        _("cause in detail"), key_owner="person", blank=True, validators=[MaxLengthValidator(2000)]
    )
    place = EncryptedTextField(
        _("place of death"), key_owner="person", blank=True, validators=[MaxLengthValidator(200)]
    )
    buried_on = models.DateField(_("burial date"), null=True, blank=True)
    grave = EncryptedTextField(
        _("burial place and grave details"), key_owner="person", blank=True, validators=[MaxLengthValidator(500)]
    )
    medical_examination_done = models.BooleanField(_("medical examination before burial"), default=False)

    class Meta:
        verbose_name = _("death record")
        verbose_name_plural = _("death records")

    def __str__(self) -> str:
        return f"death record of {self.case_id}"


class CaseEvent(CaseRecord):
    """An event of GC III (PROCESS.md section 1), queued for forwarding to the NIB or Central Agency
    where the Convention requires it."""

    class Kind(models.TextChoices):
        CAPTURED = "captured", _("Captured")
        NIB_RECORD_CREATED = "nib_record_created", _("NIB record created")
        NIB_FORWARDED = "nib_forwarded", _("Art. 122 record forwarded")
        CAPTURE_CARD_OFFERED = "capture_card_offered", _("Capture card offered")
        CAPTURE_CARD_SENT = "capture_card_sent", _("Capture card sent")
        CAPTURE_CARD_DECLINED = "capture_card_declined", _("Capture card declined")
        TRANSFER_CAMP = "transfer_camp", _("Transfer to another camp")
        HOSPITAL_ADMISSION = "hospital_admission", _("Hospital admission")
        HEALTH_WEEKLY = "health_weekly", _("Weekly health report")
        ESCAPE = "escape", _("Escape")
        RELEASE = "release", _("Release")
        TRANSFER = "transfer", _("Transfer to another state")
        REPATRIATION = "repatriation", _("Repatriation")
        DEATH = "death", _("Death")
        DEATH_ENQUIRY_OPENED = "death_enquiry_opened", _("Death enquiry opened")
        ENQUIRY_ANSWERED = "enquiry_answered", _("Enquiry answered")
        VALUABLES_FORWARDED = "valuables_forwarded", _("Valuables forwarded")
        VISIT = "visit", _("Art. 126 visit")
        PROCEEDINGS_PENDING_NOTICE = "proceedings_pending_notice", _("Notice of pending proceedings")
        WISH_WITHDRAWN = "wish_withdrawn", _("Wish withdrawn")

    class Forwarding(models.TextChoices):
        NOT_NEEDED = "not_needed", _("Not forwarded")
        QUEUED = "queued", _("Queued for forwarding")
        FORWARDED = "forwarded", _("Forwarded")

    # Rule (c) 3 and Art. 122: these go to the NIB and on to the Central Agency.
    FORWARDED_KINDS = frozenset(
        {
            Kind.NIB_FORWARDED,
            Kind.TRANSFER_CAMP,
            Kind.HOSPITAL_ADMISSION,
            Kind.HEALTH_WEEKLY,
            Kind.ESCAPE,
            Kind.RELEASE,
            Kind.TRANSFER,
            Kind.REPATRIATION,
            Kind.DEATH,
            Kind.PROCEEDINGS_PENDING_NOTICE,
        }
    )
    CAPTURE_CARD_DONE = frozenset({Kind.CAPTURE_CARD_SENT, Kind.CAPTURE_CARD_DECLINED})

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=32, choices=Kind.choices)
    occurred_on = models.DateField(_("date"))
    details = EncryptedTextField(_("details"), key_owner="person", blank=True, validators=[MaxLengthValidator(5000)])
    is_seriously_ill = models.BooleanField(
        _("seriously ill or wounded"), default=False, help_text=_("Weekly health reports are then due (Art. 122).")
    )
    witnesses_present = models.BooleanField(_("witnesses present (visits)"), default=False)
    witnesses_requested = models.BooleanField(_("the prisoner asked for witnesses (visits)"), default=False)
    forwarding = models.CharField(max_length=16, choices=Forwarding.choices, default=Forwarding.NOT_NEEDED)
    forwarded_at = models.DateTimeField(null=True, blank=True)
    route_through_central_agency = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["occurred_on", "pk"]
        indexes = [models.Index(fields=["forwarding", "occurred_on"])]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return f"{self.kind} event #{self.pk} of {self.case_id}"

    @property
    def is_flagged_visit(self) -> bool:
        """Rule (c) 6: an Art. 126 interview with witnesses is flagged unless the prisoner asked for them."""
        return self.kind == self.Kind.VISIT and self.witnesses_present and not self.witnesses_requested


class StageChange(models.Model):
    """The stage history of a case: one row per transition, written by the lifecycle service only."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="stage_changes")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", editable=False)
    from_stage = models.CharField(max_length=32, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=32, choices=Stage.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    note = EncryptedTextField(_("note"), key_owner="person", blank=True, validators=[MaxLengthValidator(5000)])
    is_withdrawal = models.BooleanField(default=False, help_text=_("The person withdrew their wish."))
    occurred_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["occurred_at", "pk"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_stage} → {self.to_stage}"


class Extension(CaseRecord):
    """An approved extension of a pathway deadline (screening, residence protection)."""

    class Kind(models.TextChoices):
        SCREENING = "screening", _("Screening")
        RESIDENCE_PROTECTION = "residence_protection", _("Residence protection")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extensions")
    kind = models.CharField(_("deadline"), max_length=32, choices=Kind.choices)
    days = models.PositiveIntegerField(_("days"))
    approved_on = models.DateField(_("approved on"))
    approved_by_body = models.CharField(_("approved by"), max_length=200, help_text=_("e.g. the Consultative Council"))

    class Meta:
        ordering = ["approved_on", "pk"]
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")

    def __str__(self) -> str:
        return f"{self.kind} extension #{self.pk} of {self.case_id}"


class PathwayProgress(CaseRecord):
    """What the receiving state's pathway needs checked before its stages move on."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="pathway_progress")
    exclusions_checked = models.BooleanField(_("Art. 9 exclusions checked"), default=False)
    programme_completed_on = models.DateField(_("settlement programme completed on"), null=True, blank=True)
    family_register_done = models.BooleanField(_("family register created"), default=False)
    housing_arranged = models.BooleanField(_("housing arranged"), default=False)

    class Meta:
        verbose_name = _("pathway progress")
        verbose_name_plural = _("pathway progress")

    def __str__(self) -> str:
        return f"pathway progress of {self.case_id}"


class Alert(models.Model):
    """A deadline rule of PROCESS.md (c) that a case breaks now; computed by `passage alerts run`."""

    class Kind(models.TextChoices):
        CAPTURE_CARD = "capture_card", _("Capture card neither sent nor declined in time")
        HEALTH_WEEKLY = "health_weekly", _("No weekly health report for a seriously ill prisoner")
        SCREENING_OVERDUE = "screening_overdue", _("Screening past its limit")
        RESIDENCE_PROTECTION_ENDING = "residence_protection_ending", _("Residence protection ending")
        LATE_APPLICATION = "late_application", _("Protection application long after entry: Art. 9 review")
        NOTIFICATION_WAITING = "notification_waiting", _("Notification waiting to be forwarded")
        VISIT_WITH_WITNESSES = "visit_with_witnesses", _("Art. 126 visit with witnesses not asked for")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=40, choices=Kind.choices)
    due_on = models.DateField(help_text=_("When the rule's deadline fell or falls."))
    subject_id = models.PositiveBigIntegerField(
        default=0, help_text=_("The row the alert is about (event, custody record), 0 for the case itself.")
    )
    opened_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind", "subject_id"],
                condition=Q(resolved_at__isnull=True),
                name="alert_one_open_per_rule_and_subject",
            )
        ]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")

    def __str__(self) -> str:
        return f"{self.kind} alert #{self.pk} on {self.case_id}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None
