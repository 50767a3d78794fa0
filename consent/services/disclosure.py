"""The disclosure check as a service: the engine (`consent.disclosure`) over the live registry, with
what it found scoped to the user who asked and audited.

Every registered person is looked for, whoever asks; a finding names the reference of a person only
to a user who may see that person's case, and says "a protected person" otherwise. Each case whose
person the text names gets an audit entry, so the organisation holding it sees who named them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.policy import Action, Actor, case_access_q
from audit.models import AuditEvent
from audit.services import AuditEntry, audit_record, audit_record_many
from consent.disclosure.types import DisclosureReport, Finding, Severity
from consent.disclosure_lookup import VaultRegistry
from registry.models import Case
from vault.runtime import key_scope


@dataclass(frozen=True)
class ShownFinding:
    """A finding as one user may see it."""

    finding: Finding
    text: str  # the span, from the text the user gave
    references: tuple[str, ...]  # the cases it may identify that the user may see
    hidden_persons: int  # registered persons it may identify whose cases the user may not see

    @property
    def is_blocking(self) -> bool:
        return self.finding.is_blocking


@dataclass(frozen=True)
class DisclosureCheck:
    report: DisclosureReport
    findings: tuple[ShownFinding, ...]
    redacted_text: str

    @property
    def is_clean(self) -> bool:
        return self.report.is_clean

    @property
    def blocking(self) -> tuple[ShownFinding, ...]:
        return tuple(shown for shown in self.findings if shown.is_blocking)

    def counts(self) -> dict[str, int]:
        return {
            "findings": len(self.findings),
            "blocking": len(self.blocking),
            "quasi": sum(1 for s in self.findings if s.finding.severity is Severity.QUASI),
            "advisory": sum(1 for s in self.findings if s.finding.severity is Severity.ADVISORY),
        }


def check_text_length(text: str, field: str = "text") -> str:
    if not text.strip():
        raise ValidationError({field: _("Give the text to check.")})
    limit = int(settings.PASSAGE_DISCLOSURE_MAX_CHARS)
    if len(text) > limit:
        raise ValidationError(
            {field: _("The text is too long: at most %(limit)s characters are checked at once.") % {"limit": limit}}
        )
    return text


def with_combination_parts(chosen: Iterable[Finding], findings: Iterable[Finding]) -> list[Finding]:
    """The chosen findings, and the findings at the parts of the chosen combinations (so each part is
    replaced by its own label: [AGE], [RANK] rather than one for the whole)."""
    chosen = list(chosen)
    parts = {part for finding in chosen for part in finding.parts}
    return chosen + [f for f in findings if (f.start, f.end) in parts and f not in chosen]


def blocking_redactions(findings: Iterable[Finding]) -> list[Finding]:
    """What the redacted version replaces: every finding that blocks (a combination by its parts)."""
    findings = list(findings)
    return with_combination_parts((finding for finding in findings if finding.is_blocking), findings)


def analyse_registry(text: str, *, linked_person_ids: Sequence[int] = ()) -> DisclosureReport:
    """The engine over the live registry, in one key scope (each data key unwrapped once)."""
    from consent.disclosure.engine import analyse  # its language pipeline loads on first use, not at start-up

    with key_scope():
        return analyse(text, VaultRegistry(), linked_person_ids=linked_person_ids)


def shown_findings(actor: Actor | None, text: str, findings: Iterable[Finding]) -> tuple[ShownFinding, ...]:
    """The findings with the references `actor` may see (None: the command line, which sees all)."""
    findings = list(findings)
    person_ids = {person_id for finding in findings for person_id in finding.person_ids}
    cases = Case.objects.filter(person_id__in=person_ids)
    visible_cases = cases if actor is None else cases.filter(case_access_q(actor, Action.VIEW))
    reference_of = dict(visible_cases.values_list("person_id", "reference"))
    shown = []
    for finding in findings:
        references = tuple(sorted(reference_of[p] for p in finding.person_ids if p in reference_of))
        shown.append(
            ShownFinding(
                finding=finding,
                text=text[finding.start : finding.end],
                references=references,
                hidden_persons=len(finding.person_ids) - len(references),
            )
        )
    return tuple(shown)


def audit_named_cases(
    actor: Actor | None, findings: Iterable[Finding], *, action: str, purpose: str, channel: str
) -> int:
    """One audit entry on each case whose person the findings may identify (read for those the actor
    sees, denied-to-see for the others: the holder of the case learns who named their person)."""
    person_ids = {person_id for finding in findings for person_id in finding.person_ids}
    if not person_ids:
        return 0
    cases = list(Case.objects.filter(person_id__in=person_ids))
    visible = (
        {case.pk for case in cases}
        if actor is None
        else set(
            Case.objects.filter(case_access_q(actor, Action.VIEW), pk__in=[c.pk for c in cases]).values_list(
                "pk", flat=True
            )
        )
    )
    entries = [
        AuditEntry(
            kind=AuditEvent.Kind.READ if case.pk in visible else AuditEvent.Kind.DENIED,
            action=action,
            object_type="case",
            object_id=case.pk,
            case_reference=case.reference,
            organisation_id=case.organisation_id,
            purpose=purpose,
            channel=channel,
        )
        for case in sorted(cases, key=lambda case: case.pk)
    ]
    audit_record_many(actor=actor, entries=entries)
    return len(cases)


def disclosure_check(
    *, actor: Actor | None, text: str, cases: Sequence[Case] = (), channel: str = "web"
) -> DisclosureCheck:
    """Check a text that is about to leave: findings (scoped to `actor`), a redacted version, audited.

    `cases` are the persons the text is known to be about: their every value is looked for. The text
    itself is not kept."""
    from consent.disclosure.redact import redact

    check_text_length(text)
    report = analyse_registry(text, linked_person_ids=[case.person_id for case in cases])
    check = DisclosureCheck(
        report=report,
        findings=shown_findings(actor, text, report.findings),
        redacted_text=redact(text, blocking_redactions(report.findings)),
    )
    counts = check.counts()
    named = audit_named_cases(
        actor, report.findings, action="disclosure.named", purpose="disclosure check", channel=channel
    )
    audit_record(
        actor=actor,
        kind=AuditEvent.Kind.READ,
        action="disclosure.check",
        object_type="text",
        purpose=(
            f"disclosure check: {counts['findings']} findings, {counts['blocking']} blocking, "
            f"{counts['quasi']} quasi, {counts['advisory']} advisory, {named} cases named"
        ),
        channel=channel,
    )
    return check
