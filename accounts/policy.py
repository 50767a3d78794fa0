"""The access policy: the one place that decides who may see or change which case.

Deny by default. Access comes from a role in an organisation combined with either the
organisation's ownership of the case (supervisors) or the assignment of the case to a team
the user belongs to (everyone else who works on cases). Lists, search, detail pages and the
API all filter through `case_access_q`, so what a user can open and what they can find agree.
"""

from __future__ import annotations

import enum
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


def organisations_for(actor: Actor, action: Action) -> list[Organisation]:
    """Organisations in which `actor` may create or import cases."""
    roles = IN_ORGANISATION.get(action, frozenset())
    return [m.organisation for m in actor_memberships(actor) if m.role in roles]


def may_act_in_organisation(actor: Actor, action: Action, organisation: Organisation) -> bool:
    return any(org.pk == organisation.pk for org in organisations_for(actor, action))
