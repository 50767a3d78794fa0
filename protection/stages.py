"""The lifecycle stages of a case (PROCESS.md, section (a))."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    CAPTURED = "captured", _("Captured")
    REGISTERED = "registered", _("Registered")
    IN_CUSTODY = "in_custody", _("In custody")
    WISH_RECORDED = "wish_recorded", _("Wish recorded")
    WISH_VERIFYING = "wish_verifying", _("Wish being verified")
    WISH_ESTABLISHED = "wish_established", _("Wish established")
    RISK_ASSESSED = "risk_assessed", _("Risk assessed")
    PROTECTION_REQUESTED = "protection_requested", _("Protection requested")
    ACCEPTED = "accepted", _("Accepted")
    TRANSFER_SCHEDULED = "transfer_scheduled", _("Transfer scheduled")
    TRANSFERRED = "transferred", _("Transferred")
    SCREENING = "screening", _("Screening")
    PROTECTION_GRANTED = "protection_granted", _("Protection granted")
    HANAWON = "hanawon", _("Hanawon")
    RESIDENCE_PROTECTION = "residence_protection", _("Residence protection")
    SETTLED = "settled", _("Settled")
    REPATRIATED = "repatriated", _("Repatriated")
    RELEASED_LOCALLY = "released_locally", _("Released locally")
    THIRD_COUNTRY = "third_country", _("Third country")
    PROTECTION_DENIED = "protection_denied", _("Protection denied")
    HELD_PENDING_PROCEEDINGS = "held_pending_proceedings", _("Held pending proceedings")
    ESCAPED = "escaped", _("Escaped")
    DECEASED = "deceased", _("Deceased")


MAIN_PATH: tuple[Stage, ...] = (
    Stage.CAPTURED,
    Stage.REGISTERED,
    Stage.IN_CUSTODY,
    Stage.WISH_RECORDED,
    Stage.WISH_VERIFYING,
    Stage.WISH_ESTABLISHED,
    Stage.RISK_ASSESSED,
    Stage.PROTECTION_REQUESTED,
    Stage.ACCEPTED,
    Stage.TRANSFER_SCHEDULED,
    Stage.TRANSFERRED,
    Stage.SCREENING,
    Stage.PROTECTION_GRANTED,
    Stage.HANAWON,
    Stage.RESIDENCE_PROTECTION,
    Stage.SETTLED,
)
SIDE_STATES: tuple[Stage, ...] = tuple(stage for stage in Stage if stage not in MAIN_PATH)

# Where a case starts (PROCESS.md): a prisoner at capture, a defector at the protection request.
# Every later stage is reached through the lifecycle service, never set directly.
ENTRY_STAGES: dict[str, Stage] = {"prisoner": Stage.CAPTURED, "defector": Stage.PROTECTION_REQUESTED}
