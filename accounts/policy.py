"""The access policy: the one place that decides who may see or change which case.

Deny by default. Access comes from a role in an organisation combined with either the
organisation's ownership of the case (supervisors) or the assignment of the case to a team
the user belongs to (everyone else who works on cases). Lists, search, detail pages and the
API all filter through `case_access_q`, so what a user can open and what they can find agree.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from accounts.models import Membership, Organisation, Role

if TYPE_CHECKING:
    from registry.models import Case


class Action(enum.StrEnum):
    VIEW = "view"
    CHANGE = "change"
    CREATE = "create"
    IMPORT = "import"
    ASSIGN = "assign"
    ERASE = "erase"
    AUDIT = "audit"  # see who read and changed a case, not its content
    AUDIT_LOG = "audit_log"  # the organisation's whole audit log


# Roles that reach every case their organisation owns.
ORGANISATION_WIDE: dict[Action, frozenset[Role]] = {
    Action.VIEW: frozenset({Role.SUPERVISOR}),
    Action.CHANGE: frozenset({Role.SUPERVISOR}),
    Action.ASSIGN: frozenset({Role.SUPERVISOR}),
    Action.ERASE: frozenset({Role.SUPERVISOR}),
    Action.AUDIT: frozenset({Role.SUPERVISOR, Role.AUDITOR}),
}
# Roles that reach the cases assigned to one of their teams.
THROUGH_TEAM: dict[Action, frozenset[Role]] = {
    Action.VIEW: frozenset({Role.CASEWORKER, Role.PROTECTION_OFFICER, Role.DETAINING_LIAISON, Role.RECEIVING_LIAISON}),
    Action.CHANGE: frozenset({Role.CASEWORKER, Role.DETAINING_LIAISON}),
    Action.ASSIGN: frozenset(),
    Action.ERASE: frozenset(),
    Action.AUDIT: frozenset(),
}
# Roles that may create or import cases in their organisation.
IN_ORGANISATION: dict[Action, frozenset[Role]] = {
    Action.CREATE: frozenset({Role.CASEWORKER, Role.DETAINING_LIAISON, Role.SUPERVISOR}),
    Action.IMPORT: frozenset({Role.CASEWORKER, Role.DETAINING_LIAISON, Role.SUPERVISOR}),
    Action.AUDIT_LOG: frozenset({Role.AUDITOR}),
}

Actor = AbstractBaseUser | AnonymousUser


def actor_memberships(actor: Actor) -> list[Membership]:
    """The actor's memberships (with organisations), read once per request object."""
    if not actor.is_authenticated or not actor.is_active:
        return []
    cached: list[Membership] | None = getattr(actor, "_passage_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user_id=actor.pk).select_related("organisation"))
        actor.__dict__["_passage_memberships"] = cached
    return cached


def case_access_q(actor: Actor, action: Action) -> Q:
    """A filter on Case that keeps exactly the cases `actor` may `action`."""
    from registry.models import CaseAssignment

    nothing = Q(pk__in=[])
    memberships = actor_memberships(actor)
    if not memberships or action not in ORGANISATION_WIDE:
        return nothing
    condition = nothing
    owning = [m.organisation_id for m in memberships if m.role in ORGANISATION_WIDE[action]]
    if owning:
        condition |= Q(organisation_id__in=owning)
    via_team = [m.organisation_id for m in memberships if m.role in THROUGH_TEAM[action]]
    if via_team:
        assigned = CaseAssignment.objects.filter(
            team__members__id=cast(int, actor.pk), team__organisation_id__in=via_team
        ).values("case_id")
        condition |= Q(pk__in=assigned)
    return condition


def may_act_on_case(actor: Actor, action: Action, case: Case) -> bool:
    from registry.models import Case

    return Case.objects.filter(case_access_q(actor, action), pk=case.pk).exists()


def case_memberships(actor: Actor, case: Case) -> list[Membership]:
    """The memberships through which `actor` reaches `case` (owning supervisors, assigned teams)."""
    from registry.models import CaseAssignment

    reaching = [
        m
        for m in actor_memberships(actor)
        if m.role in ORGANISATION_WIDE[Action.VIEW] and m.organisation_id == case.organisation_id
    ]
    team_organisations = (
        set(
            CaseAssignment.objects.filter(case_id=case.pk, team__members__id=cast(int, actor.pk)).values_list(
                "team__organisation_id", flat=True
            )
        )
        if actor.is_authenticated
        else set()
    )
    reaching += [
        m
        for m in actor_memberships(actor)
        if m.role in THROUGH_TEAM[Action.VIEW] and m.organisation_id in team_organisations and m not in reaching
    ]
    return reaching


def case_roles(actor: Actor, case: Case) -> frozenset[str]:
    """The roles in which `actor` works on `case`: what the lifecycle's transitions and records ask for."""
    return frozenset(m.role for m in case_memberships(actor, case))


# Who may record what on a case (the lifecycle's transitions name their roles in protection.transitions).
DETAINING = frozenset({Role.DETAINING_LIAISON, Role.SUPERVISOR})
NEUTRAL = frozenset({Role.PROTECTION_OFFICER, Role.SUPERVISOR})
RECEIVING = frozenset({Role.RECEIVING_LIAISON, Role.SUPERVISOR})
RECORD_ROLES: dict[str, frozenset[str]] = {
    "interview.registration": DETAINING,
    "interview.wish_verification": NEUTRAL,
    "interview.handover_reconfirmation": NEUTRAL,
    "interview.screening": RECEIVING,
    "interview.media": NEUTRAL,
    "interview.external_statement": NEUTRAL | {Role.CASEWORKER},
    "nib_record": DETAINING,
    "risk_assessment": DETAINING,
    "protection_request": RECEIVING,
    "acceptance": RECEIVING,
    "transfer": DETAINING,
    "proceedings": DETAINING,
    "death_record": DETAINING | {Role.CASEWORKER, Role.RECEIVING_LIAISON},  # also after the transfer
    "event": DETAINING | {Role.CASEWORKER},
    "event.forward": DETAINING,
    "extension": RECEIVING | {Role.CASEWORKER},
    "pathway_progress": RECEIVING | {Role.CASEWORKER},
}


# What the person says about their wish is taken down by the protection body only, never by the
# detaining power's staff (who may not read it either).
PROTECTION_RECORDS = frozenset({"interview.wish_verification", "interview.handover_reconfirmation"})


def records_allowed(actor: Actor, case: Case) -> frozenset[str]:
    """The lifecycle records (keys of RECORD_ROLES) `actor` may add or change on `case`."""
    roles = case_roles(actor, case)
    allowed = {record for record, needed in RECORD_ROLES.items() if roles & needed}
    if allowed & PROTECTION_RECORDS and not may_read_interview_content(actor, case):
        allowed -= PROTECTION_RECORDS
    return frozenset(allowed)


def may_record(actor: Actor, case: Case, record: str) -> bool:
    """May `actor` add or change a lifecycle record of kind `record` (a key of RECORD_ROLES) on `case`?"""
    return record in records_allowed(actor, case)


def may_perform(actor: Actor, case: Case, roles: frozenset[str]) -> bool:
    """May `actor` perform a transition open to `roles` on `case`? The guards are checked apart."""
    return bool(case_roles(actor, case) & roles)


def may_read_interview_content(actor: Actor, case: Case) -> bool:
    """What a person said in an interview is for the protection body and the case's supervisors, never
    for anyone working for the detaining power (DESIGN.md: the detaining-power liaison must never read
    interview content)."""
    memberships = case_memberships(actor, case)
    if any(m.organisation.kind == Organisation.Kind.DETAINING_POWER for m in actor_memberships(actor)):
        return False
    return any(m.role in (Role.PROTECTION_OFFICER, Role.SUPERVISOR) for m in memberships)


def organisations_for(actor: Actor, action: Action) -> list[Organisation]:
    """Organisations in which `actor` may create or import cases."""
    roles = IN_ORGANISATION.get(action, frozenset())
    return [m.organisation for m in actor_memberships(actor) if m.role in roles]


def may_act_in_organisation(actor: Actor, action: Action, organisation: Organisation) -> bool:
    return any(org.pk == organisation.pk for org in organisations_for(actor, action))


# --- Consents, family members and tracing (consent/, tracing/) ----------------------------------

# Consents and family details are taken down by those who work with the person: the caseworkers and
# protection officers the case is assigned to (team access). Supervisors approve; they do not record.
CONSENT_ROLES = frozenset({Role.CASEWORKER, Role.PROTECTION_OFFICER})
FAMILY_ROLES = frozenset({Role.CASEWORKER, Role.PROTECTION_OFFICER})
TRACING_ROLES = frozenset({Role.CASEWORKER, Role.PROTECTION_OFFICER})


def consent_and_family_access(actor: Actor, case: Case) -> dict[str, bool]:
    """What `actor` may record on `case` of consents, family members and tracing, from one read of
    their roles on it (the case page asks all three at once)."""
    roles = case_roles(actor, case)
    return {
        "record_consent": bool(roles & CONSENT_ROLES),
        "record_family_member": bool(roles & FAMILY_ROLES),
        "trace_for_case": bool(roles & TRACING_ROLES),
    }


def may_record_consent(actor: Actor, case: Case) -> bool:
    """May `actor` record or revoke a consent of the person in `case`? (PROCESS.md (b), Consent)"""
    return consent_and_family_access(actor, case)["record_consent"]


def may_record_family_member(actor: Actor, case: Case) -> bool:
    """May `actor` add or change the family members recorded on `case`?"""
    return consent_and_family_access(actor, case)["record_family_member"]


def may_read_family_location(actor: Actor, case: Case) -> bool:
    """Where a relative lives is restricted like interview content (families in the North risk reprisals)."""
    return may_read_interview_content(actor, case)


def tracing_organisations(actor: Actor) -> list[Organisation]:
    """Organisations in which `actor` traces families (caseworkers and protection officers)."""
    return [m.organisation for m in actor_memberships(actor) if m.role in TRACING_ROLES]


def may_trace(actor: Actor) -> bool:
    """May `actor` open tracing requests and search for the persons they seek?"""
    return bool(tracing_organisations(actor))


def may_trace_for_case(actor: Actor, case: Case) -> bool:
    """May `actor` open a request on behalf of the person in `case` (who seeks their family)?"""
    return consent_and_family_access(actor, case)["trace_for_case"]


def tracing_requests_q(actor: Actor) -> Q:
    """A filter on TracingRequest: its organisation's tracers see it; a request made on behalf of a
    registered person only by those who may also see that person's case (need-to-know)."""
    from registry.models import Case

    organisation_ids = [organisation.pk for organisation in tracing_organisations(actor)]
    if not organisation_ids:
        return Q(pk__in=[])
    visible_cases = Case.objects.filter(case_access_q(actor, Action.VIEW)).values("pk")
    return Q(organisation_id__in=organisation_ids) & (Q(case__isnull=True) | Q(case__in=visible_cases))


def tracing_candidate_cases_q(actor: Actor, organisation: Organisation) -> Q:
    """A filter on Case: where a tracing search may look for candidates (the persons' tracing consent is
    checked apart): the cases the request's organisation holds and those the actor may see."""
    if not any(o.pk == organisation.pk for o in tracing_organisations(actor)):
        return Q(pk__in=[])
    return Q(organisation_id=organisation.pk) | case_access_q(actor, Action.VIEW)


def may_review_tracing_match(actor: Actor, organisation: Organisation) -> bool:
    """May `actor` confirm or reject the candidates found for a request of `organisation`?"""
    return any(o.pk == organisation.pk for o in tracing_organisations(actor))


# --- Correspondence (correspondence/) ------------------------------------------------------------

# Letters and cards are handled by those who work with the person and by the detaining power, which
# forwards and censors prisoners' mail (GC III Arts. 71, 76); supervisors read them through their
# organisation's cases. The receiving state sees only what is delivered to it.
CORRESPONDENCE_ROLES = frozenset({Role.CASEWORKER, Role.PROTECTION_OFFICER, Role.DETAINING_LIAISON})
CORRESPONDENCE_READERS = CORRESPONDENCE_ROLES | {Role.SUPERVISOR}


def may_record_correspondence(actor: Actor, case: Case) -> bool:
    """May `actor` record letters, cards and messages of the person in `case`, their translations,
    attachments and deliveries?"""
    return bool(case_roles(actor, case) & CORRESPONDENCE_ROLES)


def may_read_correspondence(actor: Actor, case: Case) -> bool:
    """May `actor` read what the person's letters and messages say (and open their attachments)?"""
    return bool(case_roles(actor, case) & CORRESPONDENCE_READERS)


# --- Media requests, releases and the disclosure check (consent/) ---------------------------------

# Who may run the disclosure check on a text of their own: every role that writes outgoing texts.
DISCLOSURE_CHECK_ROLES = frozenset(
    {Role.CASEWORKER, Role.PROTECTION_OFFICER, Role.MEDIA_OFFICER, Role.SUPERVISOR, Role.RECEIVING_LIAISON}
)
# Who prepares media requests and releases (never approves them).
RELEASE_AUTHOR_ROLES = frozenset({Role.CASEWORKER, Role.PROTECTION_OFFICER, Role.MEDIA_OFFICER})
# The separate review (GC III Art. 13; Art. 7: consent alone never allows a release).
RELEASE_REVIEWER_ROLES = frozenset({Role.SUPERVISOR})


def may_check_disclosure(actor: Actor) -> bool:
    return any(m.role in DISCLOSURE_CHECK_ROLES for m in actor_memberships(actor))


def release_organisations(actor: Actor) -> list[Organisation]:
    """Organisations in which `actor` prepares media requests and releases."""
    return [m.organisation for m in actor_memberships(actor) if m.role in RELEASE_AUTHOR_ROLES]


def release_access_organisations(actor: Actor) -> list[int]:
    """Organisations whose media requests and releases `actor` may open: authors and reviewers."""
    roles = RELEASE_AUTHOR_ROLES | RELEASE_REVIEWER_ROLES
    return [m.organisation_id for m in actor_memberships(actor) if m.role in roles]


def may_review_releases(actor: Actor, organisation_id: int) -> bool:
    return any(
        m.role in RELEASE_REVIEWER_ROLES and m.organisation_id == organisation_id for m in actor_memberships(actor)
    )


def media_cases_q(actor: Actor) -> Q:
    """A filter on Case: the persons `actor` may name in a media request or a release. Those who see the
    case, and the media officers of the teams it is assigned to: a media officer learns a case's
    reference and whether its consents hold, never who the person is (DESIGN.md roles)."""
    from registry.models import CaseAssignment

    condition = case_access_q(actor, Action.VIEW)
    media = [m.organisation_id for m in actor_memberships(actor) if m.role == Role.MEDIA_OFFICER]
    if media:
        assigned = CaseAssignment.objects.filter(
            team__members__id=cast(int, actor.pk), team__organisation_id__in=media
        ).values("case_id")
        condition |= Q(pk__in=assigned)
    return condition


def releases_q(actor: Actor) -> Q:
    """A filter on Release (and MediaRequest): those of the organisations where `actor` prepares or
    reviews them. Their text is a further question (`may_read_release_text`)."""
    return Q(organisation_id__in=release_access_organisations(actor))


def may_read_release_text(actor: Actor, *, created_by_id: int | None, cases: Sequence[Case]) -> bool:
    """The text of a release (or what a media request asks) names people: its author reads it, and so
    does anyone who may see every case it concerns. A media officer reads their own texts only."""
    if actor.is_authenticated and created_by_id == actor.pk:
        return True
    if all(m.role == Role.MEDIA_OFFICER for m in actor_memberships(actor)):
        return False
    from registry.models import Case

    ids = {case.pk for case in cases}
    return len(ids) == Case.objects.filter(case_access_q(actor, Action.VIEW), pk__in=ids).count()
