"""Domain errors raised by services and translated by pages, the API and the command line."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from protection.guards import Unmet


class DomainError(Exception):
    """A rule refused the operation. The message is safe to show: it never holds protected values."""

    status = 400
    title = "Request refused"


class EditConflict(DomainError):
    status = 409
    title = "Edit conflict"

    def __init__(self, *, expected_version: int, current_version: int) -> None:
        super().__init__(
            f"This case was changed by someone else (version {current_version}, you edited version "
            f"{expected_version}). Reload it and apply your changes again."
        )
        self.expected_version = expected_version
        self.current_version = current_version


class NotPermitted(DomainError):
    """The actor may not do this. Views answer 404 for cases, so existence is not revealed."""

    status = 404
    title = "Not found"


class PersonErased(DomainError):
    """The person's data was crypto-shredded; the case answers 410 Gone everywhere."""

    status = 410
    title = "Gone"

    def __init__(self, *, reference: str, erased_at: object = None) -> None:
        when = f" on {erased_at:%Y-%m-%d}" if erased_at is not None else ""
        super().__init__(f"The data of the person in case {reference} was erased{when}.")
        self.reference = reference
        self.erased_at = erased_at


class CaseMerged(DomainError):
    """The case was a duplicate and was merged into another; it answers 410 Gone with the other's reference."""

    status = 410
    title = "Gone"

    def __init__(self, *, reference: str, merged_into: str) -> None:
        super().__init__(f"Case {reference} was merged into case {merged_into}.")
        self.reference = reference
        self.merged_into = merged_into


class ConditionsUnmet(DomainError):
    """A step of a media request or a release was refused: `unmet` lists every condition not met."""

    status = 409
    title = "Conditions not met"

    def __init__(self, *, subject: str, step: str, unmet: Sequence[Unmet]) -> None:
        super().__init__(f"{subject} cannot {step}: " + " ".join(map(str, unmet)))
        self.subject = subject
        self.step = step
        self.unmet = list(unmet)
