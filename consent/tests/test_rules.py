"""The rules of media requests and releases (consent.rules): one test per rule, on facts alone."""

from __future__ import annotations

import dataclasses

from hypothesis import given
from hypothesis import strategies as st

from consent import rules
from protection.guards import Unmet

PERSON, OTHER = 1, 2
CLEAN = rules.ReleaseFacts(
    status="draft",
    is_checked=True,
    purpose="publication_of_letter",
    concerned=((PERSON, "PSG-AAAA-AAAA"),),
    consented=frozenset({PERSON}),
)
REVIEWABLE = dataclasses.replace(CLEAN, status="in_review", may_review=True)
APPROVED = dataclasses.replace(CLEAN, status="approved", text_version=3, reviewed_version=3)


def rules_of(problems: list[Unmet]) -> list[str]:
    return [problem.rule for problem in problems]


def finding(*person_ids: int, dismissed: bool = False, hidden: bool = False) -> rules.FindingFacts:
    return rules.FindingFacts(person_ids=frozenset(person_ids), is_dismissed=dismissed, names_hidden_person=hidden)


def test_a_checked_consented_release_without_findings_may_be_submitted() -> None:
    assert rules.release_unmet(CLEAN, "submit") == []


def test_a_release_whose_text_changed_since_the_check_is_refused() -> None:
    assert rules_of(rules.release_checked(dataclasses.replace(CLEAN, is_checked=False))) == ["checked"]


def test_an_open_identifying_finding_blocks_the_release() -> None:
    facts = dataclasses.replace(CLEAN, findings=(finding(),))
    assert rules_of(rules.release_unmet(facts, "submit")) == ["findings"]


def test_a_finding_about_a_concerned_person_who_consented_is_left_to_the_review() -> None:
    facts = dataclasses.replace(CLEAN, findings=(finding(PERSON),))
    assert rules.release_findings_resolved(facts) == []


def test_a_finding_about_a_person_without_consent_blocks_even_if_another_consented() -> None:
    facts = dataclasses.replace(CLEAN, findings=(finding(PERSON, OTHER),), concerned_missing=("PSG-BBBB-BBBB",))
    assert rules_of(rules.release_findings_resolved(facts)) == ["findings", "persons_named"]


def test_a_dismissed_finding_no_longer_blocks() -> None:
    facts = dataclasses.replace(CLEAN, findings=(finding(dismissed=True),))
    assert rules.release_findings_resolved(facts) == []


def test_every_person_concerned_needs_a_live_consent_for_the_exact_purpose() -> None:
    facts = dataclasses.replace(CLEAN, concerned=((PERSON, "PSG-AAAA-AAAA"), (OTHER, "PSG-BBBB-BBBB")))
    problems = rules.release_consents_live(facts)
    assert rules_of(problems) == ["consent"]
    assert "PSG-BBBB-BBBB" in problems[0].message and "PSG-AAAA-AAAA" not in problems[0].message


def test_a_sharing_release_names_its_recipient() -> None:
    assert rules_of(rules.release_sharing_names_recipient(dataclasses.replace(CLEAN, sharing_recipient_missing=True)))
    assert rules.release_sharing_names_recipient(CLEAN) == []


def test_material_of_a_media_request_needs_the_request_approved() -> None:
    for status in ("draft", "in_review", "refused", "cancelled"):
        facts = dataclasses.replace(CLEAN, media_request_status=status)
        assert rules_of(rules.release_media_request_approved(facts)) == ["media_request"]
    for done in ("approved", "completed", None):
        assert rules.release_media_request_approved(dataclasses.replace(CLEAN, media_request_status=done)) == []


def test_only_a_supervisor_who_did_not_write_it_and_sees_everyone_approves() -> None:
    assert rules.release_unmet(REVIEWABLE, "approve") == []
    assert rules_of(rules.release_reviewer(dataclasses.replace(REVIEWABLE, may_review=False))) == ["reviewer"]
    assert rules_of(rules.release_reviewer(dataclasses.replace(REVIEWABLE, is_author=True))) == ["reviewer"]
    assert rules_of(rules.release_reviewer(dataclasses.replace(REVIEWABLE, may_see_every_case=False))) == ["reviewer"]
    hidden = dataclasses.replace(REVIEWABLE, findings=(finding(PERSON, hidden=True),))
    assert rules_of(rules.release_reviewer(hidden)) == ["reviewer"]


def test_consent_alone_never_approves_a_release_the_review_does() -> None:
    """GC III Art. 7: every consent live, yet no approval without the reviewer's own conditions."""
    not_a_reviewer = dataclasses.replace(REVIEWABLE, may_review=False)
    assert "reviewer" in rules_of(rules.release_unmet(not_a_reviewer, "approve"))


def test_what_is_released_is_the_text_the_review_approved() -> None:
    assert rules.release_unmet(APPROVED, "release") == []
    edited = dataclasses.replace(APPROVED, text_version=4)
    assert rules_of(rules.release_as_reviewed(edited)) == ["review"]
    assert rules_of(rules.release_as_reviewed(dataclasses.replace(APPROVED, status="in_review"))) == ["review"]


def test_a_consent_that_expired_since_the_review_blocks_the_release() -> None:
    expired = dataclasses.replace(APPROVED, consented=frozenset())
    assert rules_of(rules.release_unmet(expired, "release")) == ["consent"]


def test_each_step_is_refused_in_the_wrong_status() -> None:
    assert "status" in rules_of(rules.release_unmet(dataclasses.replace(CLEAN, status="approved"), "submit"))
    assert "status" in rules_of(rules.release_unmet(CLEAN, "approve"))


@given(
    consented=st.frozensets(st.integers(1, 4)),
    concerned=st.frozensets(st.integers(1, 4), min_size=1),
    finding_persons=st.lists(st.frozensets(st.integers(1, 4)), max_size=4),
)
def test_a_release_passes_only_if_every_person_consented_and_every_finding_is_covered(
    consented: frozenset[int], concerned: frozenset[int], finding_persons: list[frozenset[int]]
) -> None:
    facts = dataclasses.replace(
        CLEAN,
        concerned=tuple((p, f"PSG-{p}") for p in sorted(concerned)),
        consented=consented & concerned,
        findings=tuple(finding(*persons) for persons in finding_persons),
    )
    passes = not rules.release_unmet(facts, "submit")
    expected = concerned <= consented and all(
        persons and persons <= (consented & concerned) for persons in finding_persons
    )
    assert passes == expected


# --- Media requests ---------------------------------------------------------------------------

REQUEST = rules.MediaRequestFacts(
    status="in_review",
    purposes=("interview", "image"),
    persons=((PERSON, "PSG-AAAA-AAAA"),),
    consented=frozenset({(PERSON, "interview"), (PERSON, "image")}),
    may_review=True,
)


def test_a_media_request_with_every_consent_live_and_a_separate_reviewer_is_approved() -> None:
    assert rules.media_request_unmet(REQUEST, "approve") == []


def test_a_media_request_is_refused_without_a_consent_for_every_purpose_asked() -> None:
    facts = dataclasses.replace(REQUEST, consented=frozenset({(PERSON, "interview")}))
    problems = rules.media_request_consents_live(facts)
    assert rules_of(problems) == ["consent"] and "(image)" in problems[0].message


def test_a_media_request_needs_its_separate_review() -> None:
    assert rules_of(rules.media_request_reviewer(dataclasses.replace(REQUEST, is_author=True))) == ["reviewer"]
    assert rules_of(rules.media_request_reviewer(dataclasses.replace(REQUEST, may_review=False))) == ["reviewer"]
    assert rules_of(rules.media_request_reviewer(dataclasses.replace(REQUEST, may_see_every_case=False))) == [
        "reviewer"
    ]


def test_a_media_request_names_what_and_whom() -> None:
    empty = dataclasses.replace(REQUEST, status="draft", purposes=(), persons=())
    assert rules_of(rules.media_request_unmet(empty, "submit")) == ["purposes", "persons"]
    assert rules_of(rules.media_request_unmet(REQUEST, "submit")) == ["status"]
