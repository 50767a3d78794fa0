"""Letters, cards, capture cards, telegrams and (video) messages of a registered person, in and out,
with their translations, attachments and deliveries (PROCESS.md (b) Correspondence; GC III Arts. 70,
71, 76).

Who wrote to whom, what it says, a translation's text and translator, an attachment's name and bytes,
and what a delivery sent are encrypted under the person's data key, so erasing the person erases their
mail. Kinds, statuses, dates and routes stay in the clear: the rules and the alerts read them.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from consent.models import Release
from correspondence import rules
from registry.models import Case, Person
from vault.fields import EncryptedTextField

validate_state_code = RegexValidator(r"^[A-Z]{2}$", _("Give the state's ISO 3166 two-letter code, e.g. KR."))
validate_language = RegexValidator(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$", _("Give a language tag such as ko, en or ru."))


class Correspondence(models.Model):
    class Direction(models.TextChoices):
        INCOMING = rules.Direction.INCOMING.value, _("Incoming: written to the person")
        OUTGOING = rules.Direction.OUTGOING.value, _("Outgoing: written by the person")

    class Kind(models.TextChoices):
        CAPTURE_CARD_FAMILY = rules.Kind.CAPTURE_CARD_FAMILY.value, _("Capture card to the family")
        CAPTURE_CARD_AGENCY = rules.Kind.CAPTURE_CARD_AGENCY.value, _("Capture card to the Central Agency")
        LETTER = rules.Kind.LETTER.value, _("Letter")
        CARD = rules.Kind.CARD.value, _("Card")
        TELEGRAM = rules.Kind.TELEGRAM.value, _("Telegram")
        MESSAGE = rules.Kind.MESSAGE.value, _("Message")
        VIDEO_MESSAGE = rules.Kind.VIDEO_MESSAGE.value, _("Video message")

    class Status(models.TextChoices):
        REQUESTED = rules.Status.REQUESTED.value, _("Requested: awaiting a decision")
        APPROVED = rules.Status.APPROVED.value, _("Approved: ready to send")
        SENT = rules.Status.SENT.value, _("Sent")
        DELIVERED = rules.Status.DELIVERED.value, _("Delivered")
        RECEIVED = rules.Status.RECEIVED.value, _("Received")
        REFUSED = rules.Status.REFUSED.value, _("Refused")
        DECLINED = rules.Status.DECLINED.value, _("Declined by the person")

    class Route(models.TextChoices):
        POSTAL = "postal", _("Postal")
        CENTRAL_TRACING_AGENCY = "central_tracing_agency", _("Through the ICRC Central Tracing Agency")
        PROTECTION_BODY = "protection_body", _("Through the protection body")
        BY_HAND = "by_hand", _("By hand")
        ELECTRONIC = "electronic", _("Electronic")

    CAPTURE_CARDS: ClassVar[tuple[str, ...]] = tuple(kind.value for kind in rules.CAPTURE_CARDS)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="correspondence")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", editable=False)
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    sender = EncryptedTextField(_("sender"), key_owner="person", blank=True, validators=[MaxLengthValidator(300)])
    recipient = EncryptedTextField(
        _("recipient"),
        key_owner="person",
        blank=True,
        validators=[MaxLengthValidator(500)],
        help_text=_("Name and address as written."),
    )
    written_on = models.DateField(_("written on"), null=True, blank=True)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    language = models.CharField(
        _("language"), max_length=16, blank=True, validators=[validate_language], help_text=_("e.g. ko, en, ru")
    )
    content = EncryptedTextField(
        _("content"),
        key_owner="person",
        blank=True,
        validators=[MaxLengthValidator(100_000)],
        help_text=_("The text as written, or a transcript or summary of a video message."),
    )
    route = models.CharField(_("route"), max_length=24, choices=Route.choices, blank=True)
    censored_by_state = models.CharField(
        _("censored by (state)"), max_length=2, blank=True, validators=[validate_state_code]
    )
    censored_on = models.DateField(_("censored on"), null=True, blank=True)
    family_card_declined = models.BooleanField(
        _("the person declined to send the card to the family"),
        default=False,
        help_text=_("Writing to the family is a right, not a duty (GC III Art. 70)."),
    )
    refusal_reason = EncryptedTextField(
        _("reason for refusing"), key_owner="person", blank=True, validators=[MaxLengthValidator(2000)]
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    decided_on = models.DateField(
        _("decided on"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When it was approved, refused or declined."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["case", "direction", "kind", "status"], name="correspondence_case_kind")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=["capture_card_family", "capture_card_agency"])
                | (Q(direction="out") & ~Q(status__in=["requested", "refused"])),
                name="correspondence_capture_card_goes_out_unrefused",
                violation_error_message=_("A capture card goes out, and is never a mail request to refuse."),
            ),
            models.CheckConstraint(
                condition=~Q(direction="in") | Q(status__in=["received", "delivered"], received_on__isnull=False),
                name="correspondence_incoming_is_received",
                violation_error_message=_("Incoming mail is received (on a date), then delivered to the person."),
            ),
            models.CheckConstraint(
                condition=~Q(direction="out") | ~Q(status="received"),
                name="correspondence_outgoing_is_not_received",
            ),
            models.CheckConstraint(
                condition=Q(
                    family_card_declined=False, status__in=[s.value for s in rules.Status if s != rules.Status.DECLINED]
                )
                | Q(family_card_declined=True, status="declined", kind="capture_card_family", sent_on__isnull=True),
                name="correspondence_declined_card_is_the_family_card_unsent",
                violation_error_message=_("Only a capture card to the family can be declined, and it is not sent."),
            ),
            models.CheckConstraint(
                condition=~Q(direction="out", status__in=["sent", "delivered"]) | Q(sent_on__isnull=False),
                name="correspondence_sent_has_a_date",
                violation_error_message=_("Give the date it was sent."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "refused", "declined"]) | Q(decided_on__isnull=False),
                name="correspondence_decision_has_a_date",
            ),
            models.CheckConstraint(
                condition=Q(censored_by_state="", censored_on__isnull=True)
                | (~Q(censored_by_state="") & Q(censored_on__isnull=False)),
                name="correspondence_censorship_names_state_and_date",
                violation_error_message=_("A censorship names the censoring state and the date."),
            ),
            models.CheckConstraint(
                condition=Q(written_on__isnull=True) | Q(sent_on__isnull=True) | Q(sent_on__gte=F("written_on")),
                name="correspondence_sent_after_written",
                violation_error_message=_("It cannot be sent before it was written."),
            ),
            models.CheckConstraint(
                condition=Q(sent_on__isnull=True) | Q(received_on__isnull=True) | Q(received_on__gte=F("sent_on")),
                name="correspondence_received_after_sent",
                violation_error_message=_("It cannot be received before it was sent."),
            ),
        ]
        verbose_name = _("correspondence")
        verbose_name_plural = _("correspondence")

    def __str__(self) -> str:
        # Never the sender, the recipient or the text.
        return f"{self.kind} #{self.pk} of {self.case_id} ({self.status})"

    @property
    def is_capture_card(self) -> bool:
        return self.kind in self.CAPTURE_CARDS

    @property
    def is_mail_request(self) -> bool:
        return self.status == self.Status.REQUESTED

    @property
    def is_censored(self) -> bool:
        return bool(self.censored_by_state)


class Translation(models.Model):
    correspondence = models.ForeignKey(Correspondence, on_delete=models.CASCADE, related_name="translations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", editable=False)
    language = models.CharField(_("language"), max_length=16, validators=[validate_language])
    text = EncryptedTextField(_("translation"), key_owner="person", validators=[MaxLengthValidator(100_000)])
    translator = EncryptedTextField(
        _("translator"), key_owner="person", blank=True, validators=[MaxLengthValidator(300)]
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["recorded_at", "pk"]
        verbose_name = _("translation")
        verbose_name_plural = _("translations")

    def __str__(self) -> str:
        return f"{self.language} translation #{self.pk} of correspondence #{self.correspondence_id}"


class AttachmentType(models.TextChoices):
    """What an attachment may be, as detected from its bytes."""

    JPEG = "image/jpeg", _("JPEG image")
    PNG = "image/png", _("PNG image")
    WEBP = "image/webp", _("WebP image")
    PDF = "application/pdf", _("PDF document")
    TEXT = "text/plain", _("Plain text")
    MP4 = "video/mp4", _("MP4 video")
    WEBM = "video/webm", _("WebM video")
    MP3 = "audio/mpeg", _("MP3 audio")
    M4A = "audio/mp4", _("M4A audio")
    OGG = "audio/ogg", _("Ogg audio")


class Attachment(models.Model):
    """A scan, photo, recording or video that came with the item. The bytes are sealed with AES-256-GCM
    under the person's data key (`vault.runtime.seal_bytes`, bound to this table and column); the type
    is what the bytes are, detected and checked on upload (correspondence.attachment_check)."""

    correspondence = models.ForeignKey(Correspondence, on_delete=models.CASCADE, related_name="attachments")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", editable=False)
    filename = EncryptedTextField(_("file name"), key_owner="person", validators=[MaxLengthValidator(255)])
    content_type = models.CharField(_("type"), max_length=32, choices=AttachmentType.choices, editable=False)
    size = models.PositiveBigIntegerField(_("size in bytes"), editable=False)
    content = models.BinaryField(editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(size__gt=0), name="attachment_is_not_empty"),
            models.CheckConstraint(
                condition=Q(content_type__in=AttachmentType.values), name="attachment_type_is_allowed"
            ),
        ]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return f"attachment #{self.pk} ({self.content_type}) of correspondence #{self.correspondence_id}"


class Delivery(models.Model):
    """Where an item was passed on, and exactly what was sent. To the family or to the person through a
    neutral agency it is recorded directly, after the disclosure check; to the press or to an authority
    it goes through a release (consent.models.Release: check, redaction, consent, review), and its status,
    date and text are those of the release, read from it rather than copied."""

    class Channel(models.TextChoices):
        FAMILY = "family_via_agency", _("To the family, through a neutral agency")
        PERSON = "person_via_agency", _("To the person, through a neutral agency")
        AUTHORITY = "authority", _("To an authority (through a release)")
        PRESS = "press", _("To the press (through a release)")

    class Version(models.TextChoices):
        ORIGINAL = "original", _("The original")
        TRANSLATION = "translation", _("A translation")
        REDACTED = "redacted", _("A redacted version")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")

    THROUGH_RELEASE: ClassVar[frozenset[str]] = frozenset({Channel.AUTHORITY, Channel.PRESS})
    # What a release's status means for the delivery that waits on it.
    RELEASE_STATUS: ClassVar[dict[str, str]] = {
        Release.Status.RELEASED: Status.SENT,
        Release.Status.CANCELLED: Status.CANCELLED,
        Release.Status.REFUSED: Status.CANCELLED,
    }

    correspondence = models.ForeignKey(Correspondence, on_delete=models.CASCADE, related_name="deliveries")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", editable=False)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    recipient = EncryptedTextField(_("recipient"), key_owner="person", blank=True, validators=[MaxLengthValidator(500)])
    recipient_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recipient organisation"),
    )
    version = models.CharField(_("what was sent"), max_length=12, choices=Version.choices)
    translation = models.ForeignKey(
        Translation, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("translation")
    )
    text_sent = EncryptedTextField(
        _("text sent"),
        key_owner="person",
        blank=True,
        editable=False,
        validators=[MaxLengthValidator(400_000)],
        help_text=_("Exactly what was sent (direct deliveries; a release keeps its own)."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING, editable=False
    )
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    release = models.ForeignKey(Release, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    channel__in=["authority", "press"], release__isnull=False, status="pending", sent_on__isnull=True
                )
                | Q(channel__in=["family_via_agency", "person_via_agency"], release__isnull=True),
                name="delivery_to_press_or_authority_goes_through_a_release",
                violation_error_message=_("The press and authorities receive mail only through a release."),
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_on__isnull=False),
                name="delivery_sent_has_a_date",
                violation_error_message=_("Give the date it was sent."),
            ),
            models.CheckConstraint(
                condition=Q(version="translation", translation__isnull=False)
                | Q(version="original", translation__isnull=True)
                | Q(version="redacted"),
                name="delivery_translation_names_it",
                violation_error_message=_("Choose the translation that was sent."),
            ),
        ]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return f"{self.channel} delivery #{self.pk} of correspondence #{self.correspondence_id}"

    @property
    def is_through_release(self) -> bool:
        return self.channel in self.THROUGH_RELEASE

    @property
    def current_status(self) -> str:
        """Direct: as recorded. Through a release: sent once it is released, cancelled if it was
        refused or cancelled, pending until then."""
        if self.release_id is None:
            return self.status
        assert self.release is not None
        return self.RELEASE_STATUS.get(self.release.status, self.Status.PENDING)

    @property
    def current_status_label(self) -> str:
        return str(self.Status(self.current_status).label)

    @property
    def current_sent_on(self) -> object:
        if self.release_id is None:
            return self.sent_on
        assert self.release is not None
        released = self.release.released_at
        return timezone.localdate(released) if released is not None and self.current_status == "sent" else None

    @property
    def current_text(self) -> str:
        """What went out: the snapshot, or the release's text once released ("" before)."""
        if self.release_id is None:
            return str(self.text_sent)
        assert self.release is not None
        return str(self.release.text) if self.current_status == self.Status.SENT else ""

    @property
    def current_version(self) -> str:
        """A release whose text was redacted before it went out sent a redacted version."""
        if self.release_id is not None and self.current_status == self.Status.SENT:
            assert self.release is not None
            if str(self.release.text) != str(self.release.original_text):
                return self.Version.REDACTED
        return self.version
