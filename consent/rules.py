"""The rules a media request or a release must meet before it moves on: pure functions of a facts
snapshot (no Django), each returning the conditions it finds unmet, its source in its docstring.

The services build the snapshot under a row lock and refuse with every unmet condition at once
(`passage.errors.ConditionsUnmet`). Messages never name a person: the references stand for them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from protection.guards import Unmet, gettext_noop, unmet


@dataclass(frozen=True)
class FindingFacts:
    """A blocking finding of the disclosure check on the current text."""

    person_ids: frozenset[int]
    is_dismissed: bool
    names_hidden_person: bool = False  # names a person the actor may not see


@dataclass(frozen=True)
class ReleaseFacts:
    status: str
    is_checked: bool
    purpose: str
    concerned: tuple[tuple[int, str], ...]  # (person id, case reference) of every person concerned
    consented: frozenset[int]  # persons concerned with a live consent for the purpose
    findings: tuple[FindingFacts, ...] = ()
    media_request_status: str | None = None
    is_author: bool = False
    may_review: bool = False
    may_see_every_case: bool = True
    text_version: int = 1
    reviewed_version: int = 0
    sharing_recipient_missing: bool = False
    concerned_missing: tuple[str, ...] = field(default=())  # references of persons named but not concerned


def covered_by_consent(finding: FindingFacts, facts: ReleaseFacts) -> bool:
    """A finding about persons concerned by the release, every one of whom consented to its purpose."""
    return bool(finding.person_ids) and finding.person_ids <= facts.consented


def release_checked(facts: ReleaseFacts) -> list[Unmet]:
    """The text as it now stands went through the disclosure check (PROCESS.md (c) 17)."""
    if facts.is_checked:
        return []
    return [unmet("checked", gettext_noop("Run the disclosure check on the text as it now stands."))]


def release_findings_resolved(facts: ReleaseFacts) -> list[Unmet]:
    """Nothing that could identify a person leaves unless it is redacted, or it is about a person who
    consented to this purpose and the review approves it, or it was shown not to identify anyone
    (PROCESS.md (c) 17; section 4: never-disclose fields, three quasi-identifiers)."""
    open_findings = [
        finding for finding in facts.findings if not finding.is_dismissed and not covered_by_consent(finding, facts)
    ]
    problems: list[Unmet] = []
    if open_findings:
        problems.append(
            unmet(
                "findings",
                gettext_noop(
                    "{count} finding(s) that could identify someone are not resolved: redact them, or dismiss "
                    "those that identify no one, with the reason."
                ),
                count=len(open_findings),
            )
        )
    if facts.concerned_missing:
        problems.append(
            unmet(
                "persons_named",
                gettext_noop(
                    "The text names registered persons the release does not list as concerned ({references}): "
                    "redact them or add them, with their consent."
                ),
                references=", ".join(facts.concerned_missing),
            )
        )
    return problems


def release_consents_live(facts: ReleaseFacts) -> list[Unmet]:
    """Every person the release concerns has an active, unexpired, unrevoked consent for exactly its
    purpose, confirmed at the case's current stage (PROCESS.md (c) 18; GC III Arts. 7, 13)."""
    missing = [reference for person_id, reference in facts.concerned if person_id not in facts.consented]
    if not missing:
        return []
    return [
        unmet(
            "consent",
            gettext_noop("No live consent for this purpose from: {references}."),
            references=", ".join(missing),
        )
    ]


def release_sharing_names_recipient(facts: ReleaseFacts) -> list[Unmet]:
    """Sharing goes to the organisation or state the consent names, recorded on the release."""
    if not facts.sharing_recipient_missing:
        return []
    return [
        unmet(
            "recipient",
            gettext_noop("A release that shares data names its recipient organisation or state."),
        )
    ]


def release_media_request_approved(facts: ReleaseFacts) -> list[Unmet]:
    """Material for an outlet follows from an approved media request (PROCESS.md 4)."""
    if facts.media_request_status in (None, "approved", "completed"):
        return []
    return [unmet("media_request", gettext_noop("Its media request is not approved."))]


def release_reviewer(facts: ReleaseFacts) -> list[Unmet]:
    """A separate review approves every release: a supervisor who did not write it and who may see every
    person it concerns or names (GC III Art. 13; Art. 7: consent alone never suffices)."""
    problems: list[Unmet] = []
    if not facts.may_review:
        problems.append(unmet("reviewer", gettext_noop("Only a supervisor of the organisation may review it.")))
    if facts.is_author:
        problems.append(unmet("reviewer", gettext_noop("The author of a release may not review it.")))
    if not facts.may_see_every_case or any(finding.names_hidden_person for finding in facts.findings):
        problems.append(
            unmet(
                "reviewer",
                gettext_noop("The reviewer must be able to see every person the release concerns or names."),
            )
        )
    return problems


def release_as_reviewed(facts: ReleaseFacts) -> list[Unmet]:
    """What is released is the text the review approved, unchanged."""
    if facts.status == "approved" and facts.reviewed_version == facts.text_version:
        return []
    return [unmet("review", gettext_noop("The review has not approved the text as it now stands."))]


def _status_is(*statuses: str) -> Callable[[ReleaseFacts], list[Unmet]]:
    def check(facts: ReleaseFacts) -> list[Unmet]:
        if facts.status in statuses:
            return []
        return [unmet("status", gettext_noop("This step is not possible in the release's present status."))]

    return check


RELEASE_STEPS: dict[str, tuple[Callable[[ReleaseFacts], list[Unmet]], ...]] = {
    "submit": (
        _status_is("draft"),
        release_checked,
        release_findings_resolved,
        release_consents_live,
        release_sharing_names_recipient,
        release_media_request_approved,
    ),
    "approve": (
        _status_is("in_review"),
        release_checked,
        release_findings_resolved,
        release_consents_live,
        release_sharing_names_recipient,
        release_media_request_approved,
        release_reviewer,
    ),
    "release": (
        release_as_reviewed,
        release_checked,
        release_findings_resolved,
        release_consents_live,
        release_media_request_approved,
    ),
}


def release_unmet(facts: ReleaseFacts, step: str) -> list[Unmet]:
    """Every condition of `step` ("submit", "approve", "release") that `facts` do not meet."""
    return [problem for rule in RELEASE_STEPS[step] for problem in rule(facts)]


# --- Media requests ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MediaRequestFacts:
    status: str
    purposes: tuple[str, ...]
    persons: tuple[tuple[int, str], ...]  # (person id, reference) of the persons asked for, not withdrawn
    consented: frozenset[tuple[int, str]] = frozenset()  # (person id, purpose) with a live consent
    is_author: bool = False
    may_review: bool = False
    may_see_every_case: bool = True


def media_request_asks_something(facts: MediaRequestFacts) -> list[Unmet]:
    """A request names what the outlet wants and of whom."""
    problems: list[Unmet] = []
    if not facts.purposes:
        problems.append(unmet("purposes", gettext_noop("Say what the outlet asks for.")))
    if not facts.persons:
        problems.append(unmet("persons", gettext_noop("Add the persons the outlet asks for.")))
    return problems


def media_request_consents_live(facts: MediaRequestFacts) -> list[Unmet]:
    """Every person asked for has a live consent for every purpose asked (PROCESS.md 4: one consent per
    purpose, revocable, expiring, confirmed after every change of stage)."""
    missing = [
        f"{reference} ({purpose})"
        for person_id, reference in facts.persons
        for purpose in facts.purposes
        if (person_id, purpose) not in facts.consented
    ]
    if not missing:
        return []
    return [
        unmet("consent", gettext_noop("No live consent from: {missing}."), missing=", ".join(missing)),
    ]


def media_request_reviewer(facts: MediaRequestFacts) -> list[Unmet]:
    """The separate review (GC III Art. 13): a supervisor, not the author, who may see every person."""
    problems: list[Unmet] = []
    if not facts.may_review:
        problems.append(unmet("reviewer", gettext_noop("Only a supervisor of the organisation may review it.")))
    if facts.is_author:
        problems.append(unmet("reviewer", gettext_noop("The author of a request may not review it.")))
    if not facts.may_see_every_case:
        problems.append(
            unmet("reviewer", gettext_noop("The reviewer must be able to see every person the request names."))
        )
    return problems


def media_request_unmet(facts: MediaRequestFacts, step: str) -> list[Unmet]:
    """Every condition of `step` ("submit" or "approve") that `facts` do not meet."""
    if step == "submit":
        problems = [] if facts.status == "draft" else [unmet("status", gettext_noop("Only a draft can be submitted."))]
        return problems + media_request_asks_something(facts)
    problems = [] if facts.status == "in_review" else [unmet("status", gettext_noop("It is not awaiting review."))]
    return (
        problems
        + media_request_asks_something(facts)
        + media_request_consents_live(facts)
        + (media_request_reviewer(facts))
    )
