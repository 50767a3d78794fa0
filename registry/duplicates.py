"""Possible duplicates: finding them, and the two decisions a reviewer takes — merge, or mark distinct.

A person registered twice (by two agencies, or under a claimed identity and a real one) splits their
history in two, and a wish verified in one case is not seen by the other. Every registration and
import looks for the new person among the registry's persons through the blind indexes
(`registry.candidates`); `passage link run` does the whole registry in batch. Pairs are only
proposed: people decide, and each decision is audited on both cases.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.policy import Action, Actor, may_act_on_case
from audit.models import AuditEvent
from matching.normal import compact
from passage.errors import DomainError, NotPermitted
from protection.models import Alert
from registry.candidates import NameQuery, PersonCandidate, person_candidates
from registry.models import Alias, Case, CaseAssignment, Custody, DuplicateCandidate, Person

# Models pointing at Case that a merge carries over or that are the case's own bookkeeping (alerts are
# derived and recomputed); anything else (interviews, consents, transfers ...) is lifecycle history that
# a merge may not drop.
MERGE_CARRIED = frozenset(
    {"registry.custody", "registry.caseassignment", "registry.case", "protection.stagechange", "protection.alert"}
)
# Person fields a merge copies into the surviving person when the survivor leaves them empty.
MERGE_FILLED_FIELDS = (
    "family_name_hangul",
    "given_name_hangul",
    "date_of_birth",
    "place_of_origin",
    "unit",
    "rank",
)
DETECTION_LIMIT = 10


class MergeRefused(DomainError):
    status = 409
    title = "Merge refused"


def live_persons() -> QuerySet[Person]:
    """Persons who may be duplicates: not erased, and their case neither erased nor merged away."""
    return Person.objects.filter(erased_at__isnull=True, case__merged_into__isnull=True, case__is_erased=False)


def _ordered(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def _audit_pair(
    candidate: DuplicateCandidate, *, actor: Actor | None, action: str, channel: str, changed: Sequence[str] = ()
) -> None:
    from registry.services import _audit_case

    for case in Case.objects.filter(person_id__in=[candidate.person_a_id, candidate.person_b_id]):
        _audit_case(
            case,
            actor=actor,
            kind=AuditEvent.Kind.WRITE,
            action=action,
            object_type="duplicate_candidate",
            object_id=candidate.pk,
            changed_fields=changed,
            channel=channel,
        )


def duplicate_pairs_record(
    person: Person, candidates: Iterable[PersonCandidate], *, source: str, channel: str = ""
) -> list[DuplicateCandidate]:
    """Store the pairs (person, candidate) that are new; a pair already decided is never reopened."""
    recorded: list[DuplicateCandidate] = []
    for candidate in candidates:
        a, b = _ordered(person.pk, candidate.person.pk)
        row, created = DuplicateCandidate.objects.get_or_create(
            person_a_id=a,
            person_b_id=b,
            defaults={
                "score": candidate.score,
                "name_score": candidate.name_score,
                "date_of_birth_agrees": candidate.date_of_birth_agrees,
                "source": source,
            },
        )
        if not created and row.status == DuplicateCandidate.Status.OPEN and candidate.score > row.score:
            row.score, row.name_score = candidate.score, candidate.name_score
            row.date_of_birth_agrees = candidate.date_of_birth_agrees
            row.save(update_fields=["score", "name_score", "date_of_birth_agrees"])
        if created:
            _audit_pair(row, actor=None, action="duplicate.found", channel=channel or source)
            recorded.append(row)
    return recorded


def duplicates_detect(
    person: Person, *, source: str, aliases: Iterable[str] | None = None, channel: str = ""
) -> list[DuplicateCandidate]:
    """Look for `person` among every other live person of the registry; record and return new pairs.

    The search covers all organisations (the same person registered by two agencies is the case
    this exists for); a pair is shown only to someone who may see both cases."""
    names = aliases if aliases is not None else [alias.name for alias in person.aliases.all()]
    candidates = person_candidates(
        NameQuery.of_person(person, names),
        persons=live_persons(),
        exclude_person_ids=[person.pk],
        limit=DETECTION_LIMIT,
    )
    return duplicate_pairs_record(person, candidates, source=source, channel=channel)


def duplicates_visible_to(
    actor: Actor, *, status: str = DuplicateCandidate.Status.OPEN
) -> QuerySet[DuplicateCandidate]:
    """Pairs whose two cases the actor may both see (open pairs: live cases only; decided pairs: their
    history, a merged case included)."""
    from registry.selectors import cases_visible_to

    cases = cases_visible_to(actor).filter(is_erased=False)
    if status == DuplicateCandidate.Status.OPEN:
        cases = cases.filter(merged_into__isnull=True)
    visible = cases.values("person_id")
    rows = DuplicateCandidate.objects.filter(person_a__in=visible, person_b__in=visible)
    if status:
        rows = rows.filter(status=status)
    return rows.select_related("person_a__case", "person_b__case")


def duplicates_of_case(actor: Actor, case: Case) -> QuerySet[DuplicateCandidate]:
    return duplicates_visible_to(actor).filter(Q(person_a=case.person_id) | Q(person_b=case.person_id))


def duplicate_get(actor: Actor, candidate_id: int) -> DuplicateCandidate:
    """The pair, or NotPermitted (404) when it does not exist or the actor may not see both cases."""
    row = duplicates_visible_to(actor, status="").filter(pk=candidate_id).first()
    if row is None:
        raise NotPermitted(_("No such possible duplicate."))
    return row


def may_decide(actor: Actor, candidate: DuplicateCandidate) -> bool:
    """Whether the actor may take a decision on the pair: change both cases."""
    case_a, case_b = _cases(candidate)
    return may_act_on_case(actor, Action.CHANGE, case_a) and may_act_on_case(actor, Action.CHANGE, case_b)


def _cases(candidate: DuplicateCandidate) -> tuple[Case, Case]:
    return candidate.person_a.case, candidate.person_b.case


def _decide(candidate: DuplicateCandidate, actor: Actor, status: str) -> None:
    candidate.status = status
    candidate.decided_by = actor if actor.is_authenticated else None  # type: ignore[assignment]
    candidate.decided_at = timezone.now()
    candidate.save(update_fields=["status", "decided_by", "decided_at"])


def _locked_open(actor: Actor, candidate: DuplicateCandidate) -> DuplicateCandidate:
    locked = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
    if locked.status != DuplicateCandidate.Status.OPEN:
        raise MergeRefused(_("This pair was already decided (%(status)s).") % {"status": locked.get_status_display()})
    return locked


@transaction.atomic
def duplicate_mark_distinct(*, actor: Actor, candidate: DuplicateCandidate, channel: str = "web") -> DuplicateCandidate:
    """Two different persons: the pair is closed and not proposed again."""
    if not may_decide(actor, candidate):
        raise NotPermitted(_("No such possible duplicate."))
    locked = _locked_open(actor, candidate)
    _decide(locked, actor, DuplicateCandidate.Status.DISTINCT)
    _audit_pair(locked, actor=actor, action="duplicate.distinct", channel=channel)
    return locked


def merge_blockers(case: Case) -> list[str]:
    """Why `case` cannot be merged into another: the kinds of lifecycle records it holds of its own."""
    blockers: set[str] = set()
    for relation in Case._meta.get_fields(include_hidden=True):
        if not (relation.is_relation and relation.auto_created and not relation.concrete):
            continue
        model = relation.related_model
        if model is None or isinstance(model, str) or model._meta.label_lower in MERGE_CARRIED:
            continue
        field_name = relation.field.name  # type: ignore[union-attr]
        if model._default_manager.filter(**{field_name: case}).exists():
            blockers.add(str(model._meta.verbose_name_plural))
    if case.stage_changes.count() > 1:
        blockers.add(_("stage changes"))
    return sorted(blockers)


def _merged_aliases(survivor: Person, absorbed: Person) -> list[Alias]:
    """The absorbed person's names that the survivor does not already carry, as aliases."""
    known = {
        compact(name)
        for name in (
            f"{survivor.family_name}{survivor.given_name}",
            f"{survivor.family_name_hangul}{survivor.given_name_hangul}",
            *(alias.name for alias in survivor.aliases.all()),
        )
    }
    rows: list[Alias] = []
    written = [
        (f"{absorbed.family_name} {absorbed.given_name}".strip(), Alias.Kind.ALIAS),
        (f"{absorbed.family_name_hangul}{absorbed.given_name_hangul}".strip(), Alias.Kind.ALIAS),
        *((alias.name, alias.kind) for alias in absorbed.aliases.all()),
    ]
    for name, kind in written:
        form = compact(name)
        if form and form not in known:
            known.add(form)
            rows.append(Alias(person=survivor, name=name, kind=kind))
    return rows


@transaction.atomic
def duplicate_merge(
    *, actor: Actor, candidate: DuplicateCandidate, survivor_reference: str, channel: str = "web"
) -> Case:
    """Merge the other case of the pair into the survivor.

    The survivor keeps its own values and gains the other person's names as aliases, the values it
    lacks, its custody records and its teams; the other case is closed as merged into the survivor.
    Only a supervisor who may change both cases merges, and only a case with no lifecycle history of
    its own can be absorbed: two histories are reconciled by people, not by a merge."""
    if not may_decide(actor, candidate):
        raise NotPermitted(_("No such possible duplicate."))
    case_a, case_b = _cases(candidate)
    survivor_reference = survivor_reference.strip().upper()
    if survivor_reference not in (case_a.reference, case_b.reference):
        raise MergeRefused(
            _("The surviving case must be one of the pair: %(a)s or %(b)s.")
            % {"a": case_a.reference, "b": case_b.reference}
        )
    survivor, absorbed = (case_a, case_b) if survivor_reference == case_a.reference else (case_b, case_a)
    if not may_act_on_case(actor, Action.ERASE, absorbed):
        raise MergeRefused(
            _("Only a supervisor of the organisation that holds case %(ref)s may merge it.")
            % {"ref": absorbed.reference}
        )
    locked = _locked_open(actor, candidate)
    blockers = merge_blockers(absorbed)
    if blockers:
        raise MergeRefused(
            _(
                "Case %(ref)s has lifecycle records of its own (%(kinds)s); merge it the other way round "
                "or reconcile the two histories first."
            )
            % {"ref": absorbed.reference, "kinds": ", ".join(blockers)}
        )
    survivor_person = Person.objects.select_related("data_key").get(pk=survivor.person_id)
    absorbed_person = Person.objects.select_related("data_key").get(pk=absorbed.person_id)
    new_aliases = _merged_aliases(survivor_person, absorbed_person)
    for alias in new_aliases:
        alias.full_clean(exclude=["person"])
        alias.save()
    filled = [
        field
        for field in MERGE_FILLED_FIELDS
        if not getattr(survivor_person, field) and getattr(absorbed_person, field)
    ]
    for field in filled:
        setattr(survivor_person, field, getattr(absorbed_person, field))
    if survivor_person.sex == Person.Sex.UNKNOWN and absorbed_person.sex != Person.Sex.UNKNOWN:
        survivor_person.sex = absorbed_person.sex
        filled.append("sex")
    survivor_person.protection_concern = survivor_person.protection_concern or absorbed_person.protection_concern
    survivor_person.updated_at = timezone.now()
    survivor_person.save()
    for record in Custody.objects.filter(case=absorbed).select_related("person__data_key"):
        Custody.objects.create(
            case=survivor,
            person=survivor_person,
            facility=record.facility,
            kind=record.kind,
            from_date=record.from_date,
            to_date=record.to_date,
        )
    Custody.objects.filter(case=absorbed).delete()
    Alert.objects.filter(case=absorbed).delete()
    held = set(survivor.assignments.values_list("team_id", flat=True))
    for assignment in absorbed.assignments.all():
        if assignment.team_id not in held:
            CaseAssignment.objects.create(case=survivor, team_id=assignment.team_id, assigned_by=locked.decided_by)
    from registry.services import _audit_case, person_index_refresh

    person_index_refresh(person=survivor_person)
    now = timezone.now()
    Case.objects.filter(pk=survivor.pk).update(version=F("version") + 1, updated_at=now)
    Case.objects.filter(pk=absorbed.pk).update(merged_into=survivor, version=F("version") + 1, updated_at=now)
    _decide(locked, actor, DuplicateCandidate.Status.MERGED)
    DuplicateCandidate.objects.filter(
        Q(person_a=absorbed.person_id) | Q(person_b=absorbed.person_id), status=DuplicateCandidate.Status.OPEN
    ).delete()
    _audit_case(
        survivor,
        actor=actor,
        kind=AuditEvent.Kind.WRITE,
        action="case.merge",
        object_id=survivor.pk,
        changed_fields=[*filled, *(["aliases"] if new_aliases else [])],
        purpose=f"absorbed {absorbed.reference}",
        channel=channel,
    )
    _audit_case(
        absorbed,
        actor=actor,
        kind=AuditEvent.Kind.WRITE,
        action="case.merged_into",
        changed_fields=["merged_into"],
        purpose=f"merged into {survivor.reference}",
        channel=channel,
    )
    survivor.refresh_from_db()
    duplicates_detect(survivor_person, source=DuplicateCandidate.Source.EDIT, channel=channel)
    return survivor


@dataclass(frozen=True)
class FieldComparison:
    """One row of the side-by-side comparison: the field's label, both values, and whether they agree."""

    field: str
    label: str
    left: str
    right: str
    agrees: bool | None


def field_comparison(candidate: DuplicateCandidate) -> list[FieldComparison]:
    """The two persons field by field (decrypted: the caller has checked the actor may see both)."""
    from registry.candidates import date_of_birth_agreement

    a = Person.objects.select_related("data_key").prefetch_related("aliases").get(pk=candidate.person_a_id)
    b = Person.objects.select_related("data_key").prefetch_related("aliases").get(pk=candidate.person_b_id)
    rows: list[FieldComparison] = []
    for field in (
        "family_name",
        "given_name",
        "family_name_hangul",
        "given_name_hangul",
        "sex",
        "date_of_birth",
        "place_of_origin",
        "unit",
        "rank",
    ):
        left, right = str(getattr(a, field) or ""), str(getattr(b, field) or "")
        if field == "sex":
            left, right = a.get_sex_display(), b.get_sex_display()
        agrees: bool | None
        if not left or not right or (field == "sex" and Person.Sex.UNKNOWN in (a.sex, b.sex)):
            agrees = None
        elif field == "date_of_birth":
            agrees = date_of_birth_agreement(left, right)
        else:
            agrees = compact(left) == compact(right)
        label = str(getattr(Person._meta.get_field(field), "verbose_name", field))
        rows.append(FieldComparison(field, label, left, right, agrees))
    aliases_a = "; ".join(alias.name for alias in a.aliases.all())
    aliases_b = "; ".join(alias.name for alias in b.aliases.all())
    rows.append(FieldComparison("aliases", _("aliases"), aliases_a, aliases_b, None))
    return rows


def duplicate_compare(actor: Actor, candidate: DuplicateCandidate, *, channel: str) -> list[FieldComparison]:
    """The side-by-side comparison for someone who may see both cases; the read is audited."""
    from audit.services import audit_record

    audit_record(
        actor=actor,
        kind=AuditEvent.Kind.READ,
        action="duplicate.compare",
        object_type="duplicate_candidate",
        object_id=candidate.pk,
        purpose=f"{candidate.person_a.case.reference} / {candidate.person_b.case.reference}",
        channel=channel,
    )
    return field_comparison(candidate)
