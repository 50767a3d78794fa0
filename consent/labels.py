"""How the pages and the API name what the disclosure check finds (the engine's kinds are codes)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from consent.disclosure.types import Kind, Severity

KIND_LABELS: dict[str, Promise] = {
    Kind.NAME: _("Name of a registered person"),
    Kind.FAMILY_NAME: _("Name of a family member"),
    Kind.POSSIBLE_NAME: _("Possible personal name"),
    Kind.SURNAME: _("Surname"),
    Kind.DATE_OF_BIRTH: _("Date of birth"),
    Kind.AGE: _("Age or year of birth"),
    Kind.PLACE_OF_ORIGIN: _("Hometown or place of birth"),
    Kind.PLACE: _("Place"),
    Kind.UNIT: _("Military unit"),
    Kind.RANK: _("Rank or military role"),
    Kind.FACILITY: _("Camp, detention centre or hospital"),
    Kind.CAPTURE: _("Capture place or date"),
    Kind.PHONE: _("Phone number"),
    Kind.EMAIL: _("E-mail address"),
    Kind.SERIAL_NUMBER: _("Serial number"),
    Kind.COMBINATION: _("Three or more details together"),
}
SEVERITY_LABELS: dict[str, Promise] = {
    Severity.IDENTIFYING: _("Blocks the release"),
    Severity.QUASI: _("Detail (blocks with two more)"),
    Severity.ADVISORY: _("For the reviewer"),
}


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


def severity_label(severity: str) -> str:
    return str(SEVERITY_LABELS.get(severity, severity))
