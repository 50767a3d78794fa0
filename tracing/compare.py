"""The side-by-side comparison of what a tracing request seeks and what a candidate's record says,
field by field, with whether each agrees (None when either side is empty)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from matching.score import DEFAULT_THRESHOLD
from matching.score import score as name_probability
from registry.candidates import date_of_birth_agreement
from registry.models import Person
from tracing.models import TracingRequest


@dataclass(frozen=True)
class ComparedField:
    label: Promise
    sought: str
    candidate: str
    agrees: bool | None
    lang: str = ""


def _joined(*parts: str, separator: str = " ") -> str:
    return separator.join(part for part in parts if part).strip()


def _names_agree(left: str, right: str) -> bool | None:
    if not left or not right:
        return None
    return name_probability(left, right) >= DEFAULT_THRESHOLD


def _place(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(char for char in folded if char.isalnum())


def _places_agree(left: str, right: str) -> bool | None:
    if not _place(left) or not _place(right):
        return None
    return _place(left) == _place(right)


def compare(tracing_request: TracingRequest, person: Person, aliases: list[str]) -> list[ComparedField]:
    sought_roman = _joined(tracing_request.sought_family_name, tracing_request.sought_given_name)
    their_roman = _joined(person.family_name, person.given_name)
    sought_hangul = _joined(
        tracing_request.sought_family_name_hangul, tracing_request.sought_given_name_hangul, separator=""
    )
    their_hangul = _joined(person.family_name_hangul, person.given_name_hangul, separator="")
    best_alias = max(aliases, key=lambda alias: name_probability(sought_roman or sought_hangul, alias), default="")
    return [
        ComparedField(_("Name (romanised)"), sought_roman, their_roman, _names_agree(sought_roman, their_roman)),
        ComparedField(_("Name (Hangul)"), sought_hangul, their_hangul, _names_agree(sought_hangul, their_hangul), "ko"),
        ComparedField(
            _("Closest alias"),
            sought_roman or sought_hangul,
            best_alias,
            _names_agree(sought_roman or sought_hangul, best_alias),
        ),
        ComparedField(
            _("Date of birth"),
            tracing_request.sought_date_of_birth,
            person.date_of_birth,
            date_of_birth_agreement(tracing_request.sought_date_of_birth, person.date_of_birth),
        ),
        ComparedField(
            _("Place of origin"),
            tracing_request.sought_place_of_origin,
            person.place_of_origin,
            _places_agree(tracing_request.sought_place_of_origin, person.place_of_origin),
        ),
    ]
