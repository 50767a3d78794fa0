from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registry.partial_dates import PartialDateError, parse_partial_date
from registry.references import is_valid_reference

PARTIAL_DATE_MESSAGES = {
    "format": gettext_lazy("Use YYYY, YYYY-MM or YYYY-MM-DD."),
    "too_early": gettext_lazy("The year must be 1900 or later."),
    "month": gettext_lazy("The month must be between 01 and 12."),
    "day": gettext_lazy("There is no such day in that month."),
    "future": gettext_lazy("The date is in the future."),
}


def validate_partial_date(value: str) -> None:
    if not value:
        return
    try:
        parse_partial_date(value)
    except PartialDateError as exc:
        raise ValidationError(PARTIAL_DATE_MESSAGES[exc.code], code="invalid_date") from exc


def validate_reference(value: str) -> None:
    if not is_valid_reference(value):
        raise ValidationError(
            _("A reference looks like PSG-7KQ2-9D4M (letters and digits, no I, L, O or U)."),
            code="invalid_reference",
        )


def validate_hangul(value: str) -> None:
    """Hangul name fields hold Hangul syllables (and spaces) only."""
    for char in value:
        if char == " ":
            continue
        if not ("\uac00" <= char <= "\ud7a3"):
            raise ValidationError(_("Use Hangul syllables only."), code="not_hangul")
