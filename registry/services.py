"""Writes to the registry. Every write checks the access policy and leaves an audit entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, Team
from accounts.policy import Action, Actor, may_act_in_organisation, may_act_on_case
from accounts.selectors import teams_of
from audit.models import AuditEvent
from audit.services import audit_record
from matching.score import clear_caches as clear_name_caches
from passage.errors import EditConflict, NotPermitted
from protection.models import StageChange
from protection.stages import ENTRY_STAGES
from registry.duplicates import duplicates_detect
from registry.models import Alias, Case, CaseAssignment, Custody, DuplicateCandidate, Erasure, Person
from registry.references import is_valid_reference, new_reference, normalise_reference
from registry.search_terms import PERSON_TABLE, PersonNames, person_index_terms
from vault import erasure_list, runtime
from vault.models import DataKey
from vault.services import blind_indexes_replace, data_key_destroy

PERSON_FIELDS: tuple[str, ...] = (
    "family_name",
    "given_name",
    "family_name_hangul",
    "given_name_hangul",
    "sex",
    "date_of_birth",
    "place_of_origin",
    "unit",
    "rank",
    "languages",
    "protection_concern",
    "notes",
)
# Changes to these fields change the person's blind-index rows.
INDEXED_FIELDS = {"family_name", "given_name", "family_name_hangul", "given_name_hangul", "date_of_birth"}


@dataclass(frozen=True)
class AliasInput:
    name: str
    kind: str = Alias.Kind.ALIAS


def _clean_person_values(values: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(PERSON_FIELDS)
    if unknown:
        raise ValidationError({name: "Unknown field." for name in sorted(unknown)})
    cleaned: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, str):
            value = value.strip()
        if name == "languages":
            value = [str(item).strip() for item in (value or []) if str(item).strip()]
        cleaned[name] = value
    return cleaned


def _audit_case(
    case: Case,
    *,
    actor: Actor | None,
    kind: str,
    action: str,
    object_type: str = "case",
    object_id: int | str | None = None,
    changed_fields: Sequence[str] = (),
    purpose: str = "",
    channel: str = "",
) -> None:
    """One audit entry about `case` (its reference and organisation), never about its content."""
    audit_record(
        actor=actor,
        kind=kind,
        action=action,
        object_type=object_type,
        object_id=case.pk if object_id is None else object_id,
        case_reference=case.reference,
        organisation_id=case.organisation_id,
        changed_fields=changed_fields,
        purpose=purpose,
        channel=channel,
    )


def person_index_refresh(*, person: Person, aliases: Sequence[str] | None = None) -> int:
    """Recompute the person's blind-index rows from their (decrypted) names."""
    if person.data_key is None:
        return 0
    names = PersonNames(
        family_name=person.family_name,
        given_name=person.given_name,
        family_name_hangul=person.family_name_hangul,
        given_name_hangul=person.given_name_hangul,
        aliases=tuple(aliases if aliases is not None else [alias.name for alias in person.aliases.all()]),
        date_of_birth=person.date_of_birth,
    )
    return blind_indexes_replace(data_key=person.data_key, table=PERSON_TABLE, terms=person_index_terms(names))


def _validated_aliases(person: Person, aliases: Sequence[AliasInput]) -> list[Alias]:
    rows = [Alias(person=person, name=alias.name.strip(), kind=alias.kind) for alias in aliases if alias.name.strip()]
    errors: list[str] = []
    for row in rows:
        try:
            row.full_clean(exclude=["person"])
        except ValidationError as exc:
            errors.extend(message for messages in exc.message_dict.values() for message in messages)
    if errors:
        raise ValidationError({"aliases": errors})
    return rows


def _actor_teams(actor: Actor, organisation: Organisation) -> list[Team]:
    if not actor.is_authenticated:
        return []
    return list(teams_of(actor, organisation.pk))  # type: ignore[arg-type]


@transaction.atomic
def case_create(
    *,
    actor: Actor,
    organisation: Organisation,
    person: Mapping[str, Any],
    aliases: Sequence[AliasInput] = (),
    reference: str = "",
    stage: str = "",
    entry_route: str = Case.EntryRoute.PRISONER,
    teams: Sequence[Team] | None = None,
    channel: str = "web",
    duplicate_source: str = DuplicateCandidate.Source.CREATE,
) -> Case:
    """Register a person and open their case at the entry stage of its route (a prisoner at capture, a
    defector at the protection request); assign it to the given teams or the actor's teams. The person
    is looked for among those already registered; possible duplicates are recorded for review."""
    if not may_act_in_organisation(actor, Action.CREATE, organisation):
        raise NotPermitted("You may not create cases in this organisation.")
    values = _clean_person_values(person)
    person_row = Person(organisation=organisation, **values)
    errors: dict[str, list[str]] = {}
    entry_stage = ENTRY_STAGES.get(entry_route)
    if entry_stage is not None and stage and stage != entry_stage:
        errors["stage"] = [
            _("A %(route)s case starts at %(stage)s; later stages are reached through the lifecycle.")
            % {"route": entry_route, "stage": entry_stage.value}
        ]
    stage = entry_stage or stage
    try:
        person_row.full_clean(exclude=["organisation"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    alias_rows: list[Alias] = []
    try:
        alias_rows = _validated_aliases(person_row, aliases)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    wanted_reference = normalise_reference(reference) if reference else ""
    case_row = Case(
        reference=wanted_reference or new_reference(),
        organisation=organisation,
        stage=stage,
        entry_route=entry_route,
        created_by=actor if actor.is_authenticated else None,  # type: ignore[misc]
    )
    while not wanted_reference and Case.objects.filter(reference=case_row.reference).exists():
        case_row.reference = new_reference()
    try:
        case_row.full_clean(exclude=["person", "organisation", "created_by"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)

    now = timezone.now()
    person_row.data_key = runtime.data_key_create()
    person_row.created_at = person_row.updated_at = now
    person_row.save()
    for alias in alias_rows:
        alias.person = person_row
        alias.save()
    person_index_refresh(person=person_row, aliases=[alias.name for alias in alias_rows])
    case_row.person = person_row
    case_row.created_at = case_row.updated_at = now
    case_row.save()
    StageChange.objects.create(
        case=case_row, person=person_row, from_stage="", to_stage=case_row.stage, actor=case_row.created_by
    )
    chosen_teams = list(teams) if teams is not None else _actor_teams(actor, organisation)
    for team in chosen_teams:
        CaseAssignment.objects.create(case=case_row, team=team, assigned_by=case_row.created_by)
    filled = [name for name, value in values.items() if value not in ("", None, [], False)]
    _audit_case(
        case_row,
        actor=actor,
        kind=AuditEvent.Kind.WRITE,
        action="case.create",
        changed_fields=filled + (["aliases"] if alias_rows else []),
        channel=channel,
    )
    duplicates_detect(
        person_row, source=duplicate_source, aliases=[alias.name for alias in alias_rows], channel=channel
    )
    return case_row


@transaction.atomic
def case_update(
    *,
    actor: Actor,
    case: Case,
    expected_version: int,
    person: Mapping[str, Any],
    aliases: Sequence[AliasInput] | None = None,
    channel: str = "web",
) -> Case:
    """Change a person's registry fields, refusing if someone else saved the case meanwhile."""
    if not may_act_on_case(actor, Action.CHANGE, case):
        raise NotPermitted("No case found.")
    values = _clean_person_values(person)
    locked = Case.objects.select_for_update().select_related("person").get(pk=case.pk)
    if locked.version != expected_version:
        raise EditConflict(expected_version=expected_version, current_version=locked.version)
    person_row = locked.person
    changed = [name for name, value in values.items() if getattr(person_row, name) != value]
    for name in changed:
        setattr(person_row, name, values[name])
    person_row.full_clean(exclude=["organisation"])
    new_aliases: list[Alias] | None = None
    if aliases is not None:
        wanted = [(a.name.strip(), a.kind) for a in aliases if a.name.strip()]
        current = [(a.name, a.kind) for a in person_row.aliases.all()]
        if wanted != current:
            new_aliases = _validated_aliases(person_row, aliases)
            changed.append("aliases")
    if not changed:
        return locked
    # The conditional update is the real lock: on SQLite select_for_update is a no-op.
    now = timezone.now()
    bumped = Case.objects.filter(pk=locked.pk, version=expected_version).update(
        version=expected_version + 1, updated_at=now
    )
    if bumped != 1:
        latest = Case.objects.values_list("version", flat=True).get(pk=locked.pk)
        raise EditConflict(expected_version=expected_version, current_version=latest)
    person_row.updated_at = now
    person_row.save(update_fields=[name for name in changed if name != "aliases"] + ["updated_at"])
    if new_aliases is not None:
        person_row.aliases.all().delete()
        for alias in new_aliases:
            alias.save()
    names_changed = new_aliases is not None or bool(INDEXED_FIELDS & set(changed))
    if names_changed:
        person_index_refresh(person=person_row)
    _audit_case(
        locked,
        actor=actor,
        kind=AuditEvent.Kind.WRITE,
        action="case.update",
        changed_fields=changed,
        channel=channel,
    )
    if names_changed:
        duplicates_detect(person_row, source=DuplicateCandidate.Source.EDIT, channel=channel)
    locked.refresh_from_db()
    return locked


@transaction.atomic
def custody_add(
    *,
    actor: Actor,
    case: Case,
    facility: str,
    kind: str,
    from_date: dt.date,
    to_date: dt.date | None = None,
    channel: str = "web",
) -> Custody:
    if not may_act_on_case(actor, Action.CHANGE, case):
        raise NotPermitted("No case found.")
    record = Custody(
        case=case,
        person=case.person,
        facility=facility.strip(),
        kind=kind,
        from_date=from_date,
        to_date=to_date,
    )
    record.full_clean()
    record.save()
    _audit_case(
        case,
        actor=actor,
        kind=AuditEvent.Kind.WRITE,
        action="custody.add",
        object_type="custody",
        object_id=record.pk,
        changed_fields=["facility", "kind", "from_date"] + (["to_date"] if to_date else []),
        channel=channel,
    )
    return record


@transaction.atomic
def case_assign_team(*, actor: Actor, case: Case, team: Team, channel: str = "web") -> CaseAssignment:
    """Give a team need-to-know access to a case. Only the owning organisation's supervisors may.

    Sharing with another organisation needs the person's live consent to share with it (the receiving
    state, an NGO); the detaining power and the neutral protection body need none."""
    from consent.selectors import has_sharing_consent, sharing_purpose_for

    if not may_act_on_case(actor, Action.ASSIGN, case):
        raise NotPermitted("No case found.")
    if not CaseAssignment.objects.filter(case=case, team=team).exists() and not has_sharing_consent(
        case, team.organisation
    ):
        purpose = sharing_purpose_for(case, team.organisation)
        raise ValidationError(
            {
                "team": _(
                    "The person has no live consent to share their data with %(organisation)s: record it "
                    "(purpose: %(purpose)s) at the case's current stage first."
                )
                % {"organisation": team.organisation.name, "purpose": purpose}
            }
        )
    assignment, created = CaseAssignment.objects.get_or_create(
        case=case, team=team, defaults={"assigned_by": actor if actor.is_authenticated else None}
    )
    if created:
        _audit_case(
            case,
            actor=actor,
            kind=AuditEvent.Kind.WRITE,
            action="case.assign" if team.organisation_id == case.organisation_id else "case.share",
            object_type="team",
            object_id=team.pk,
            changed_fields=["assignments"],
            channel=channel,
        )
    return assignment


@transaction.atomic
def case_unassign_team(*, actor: Actor, case: Case, team: Team, channel: str = "web") -> None:
    """Withdraw a team's access to a case. The owning organisation keeps at least one of its own teams."""
    if not may_act_on_case(actor, Action.ASSIGN, case):
        raise NotPermitted("No case found.")
    assignments = CaseAssignment.objects.select_for_update().filter(case=case)
    assignment = assignments.filter(team=team).first()
    if assignment is None:
        return
    own_teams_left = assignments.filter(team__organisation_id=case.organisation_id).exclude(pk=assignment.pk)
    if team.organisation_id == case.organisation_id and not own_teams_left.exists():
        raise ValidationError({"team": _("A case needs at least one team of the organisation that owns it.")})
    assignment.delete()
    _audit_case(
        case,
        actor=actor,
        kind=AuditEvent.Kind.WRITE,
        action="case.unassign" if team.organisation_id == case.organisation_id else "case.unshare",
        object_type="team",
        object_id=team.pk,
        changed_fields=["assignments"],
        channel=channel,
    )


def case_record_denied(*, actor: Actor, reference: str, action: str, channel: str = "") -> None:
    """Log a refused (or pointless) attempt to reach a case; the answer was 404 either way.

    Only a well-formed reference is kept: whatever else was typed there may be a name."""
    typed = normalise_reference(reference)
    audit_record(
        actor=actor,
        kind=AuditEvent.Kind.DENIED,
        action="case.denied",
        object_type="case",
        case_reference=typed if is_valid_reference(typed) else "",
        changed_fields=[] if is_valid_reference(typed) else ["not a reference"],
        purpose=action,
        channel=channel,
    )


def case_record_view(*, actor: Actor, case: Case, purpose: str = "", channel: str = "web") -> None:
    """Log that `actor` read the identifying data of `case`."""
    _audit_case(
        case,
        actor=actor,
        kind=AuditEvent.Kind.READ,
        action="case.view",
        purpose=purpose,
        channel=channel,
    )


@transaction.atomic
def person_erase(*, actor: Actor, case: Case, reason: str, channel: str = "web") -> Erasure:
    """Crypto-shred a person: destroy their data key and blind-index rows, keep a tombstone.

    The erasure is written to the erasure list outside the database first, so that a database
    restored from an older backup has it applied again (`passage person reapply-erasures`).
    """
    if not may_act_on_case(actor, Action.ERASE, case):
        raise NotPermitted("No case found.")
    reason = reason.strip()
    if len(reason) < 10:
        raise ValidationError({"reason": _("Give the reason for the erasure (at least 10 characters).")})
    locked = Case.objects.select_for_update().select_related("person").get(pk=case.pk)
    person = locked.person
    if person.is_erased:
        raise ValidationError({"reference": _("This person was already erased.")})
    data_key_id = person.data_key_id
    entry = erasure_list.record_intent(reference=locked.reference, person_id=person.pk, data_key_id=data_key_id)
    try:
        person_shred(person)
        tombstone = Erasure.objects.create(
            reference=locked.reference,
            person_id_at_erasure=person.pk,
            data_key_id_at_erasure=data_key_id,
            actor=actor if actor.is_authenticated else None,  # type: ignore[misc]
            actor_label=getattr(actor, "email", "system"),
            reason=reason,
        )
        Case.objects.filter(pk=locked.pk).update(version=locked.version + 1, updated_at=timezone.now())
        _audit_case(
            locked,
            actor=actor,
            kind=AuditEvent.Kind.WRITE,
            action="person.erase",
            changed_fields=[*Person.IDENTIFYING_FIELDS, "aliases", "custody.facility"],
            channel=channel,
        )
    except BaseException:
        erasure_list.record_cancelled(entry)
        raise
    return tombstone


def person_shred(person: Person) -> None:
    """Destroy the data key and everything derived from it; blank the now unreadable columns."""
    from consent.services.releases import releases_shred_for_person

    blanks = {name: "" for name in Person.IDENTIFYING_FIELDS}
    Person.objects.filter(pk=person.pk).update(erased_at=timezone.now(), data_key=None, **blanks)
    Case.objects.filter(person_id=person.pk).update(is_erased=True)
    Alias.objects.filter(person=person).delete()
    Custody.objects.filter(person=person).update(facility="")
    releases_shred_for_person(person)  # what was about to be released, or was, about the person
    if person.data_key_id is not None:
        data_key_destroy(person.data_key_id)
    clear_name_caches()  # the scorer's caches may hold fragments of the person's names


def erasures_reapply(*, channel: str = "cli") -> list[str]:
    """Shred again every person on the erasure list whose data key came back (a restored backup)."""
    reapplied: list[str] = []
    for entry in erasure_list.entries():
        with transaction.atomic():
            person = (
                Person.objects.select_for_update().filter(pk=entry.person_id, case__reference=entry.reference).first()
            )
            resurrected = person is not None and (not person.is_erased or person.data_key_id is not None)
            leftover_key = entry.data_key_id is not None and DataKey.objects.filter(pk=entry.data_key_id).exists()
            if not resurrected and not leftover_key:
                continue
            if person is not None:
                person_shred(person)
            if entry.data_key_id is not None:
                data_key_destroy(entry.data_key_id)
            Erasure.objects.get_or_create(
                reference=entry.reference,
                defaults={
                    "person_id_at_erasure": entry.person_id,
                    "data_key_id_at_erasure": entry.data_key_id,
                    "actor_label": "erasure list",
                    "reason": "Re-applied from the erasure list after a restore.",
                },
            )
            audit_record(
                actor=None,
                kind=AuditEvent.Kind.SECURITY,
                action="person.erase_reapplied",
                object_type="case",
                case_reference=entry.reference,
                organisation_id=person.organisation_id if person is not None else None,
                channel=channel,
            )
            reapplied.append(entry.reference)
    return reapplied
