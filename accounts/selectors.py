from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import Team, User


def teams_of(user: User, organisation_id: int | None = None) -> QuerySet[Team]:
    teams = Team.objects.filter(members=user).select_related("organisation")
    if organisation_id is not None:
        teams = teams.filter(organisation_id=organisation_id)
    return teams
