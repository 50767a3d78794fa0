"""Unmet conditions read in the user's language, with stages and fields by their names, not codes."""

from __future__ import annotations

from django.utils import translation

from protection.guards import gettext_noop, unmet
from protection.selectors import unmet_text


def test_a_refusal_names_the_stages_by_their_labels_in_english_and_korean() -> None:
    problem = unmet(
        "no_such_transition",
        gettext_noop("A case cannot move from {source} to {target}."),
        source="accepted",
        target="transferred",
    )
    assert unmet_text(problem) == "A case cannot move from Accepted to Transferred."
    with translation.override("ko"):
        korean = unmet_text(problem)
    assert "accepted" not in korean and "transferred" not in korean


def test_missing_fields_are_named_by_their_labels() -> None:
    problem = unmet("death", gettext_noop("The death record lacks: {fields}."), fields="burial date, grave")
    with translation.override("ko"):
        korean = unmet_text(problem)
    assert "burial" not in korean and "grave" not in korean and "묘지" in korean
