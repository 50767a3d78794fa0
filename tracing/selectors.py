"""Reads of family members and tracing requests, always scoped by the access policy.

Candidates are only ever persons holding a live `tracing` consent: the review lists filter on it
again, so a consent revoked after a search hides the person at once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from accounts.policy import Actor, tracing_candidate_cases_q, tracing_requests_q
from consent.models import (
    Consent,
    MediaRequest,
    MediaRequestPerson,
    Purpose,
    Release,
    ReleaseCase,
    TakedownRequest,
)
from consent.selectors import live_q, persons_with_live_consent
from registry.models import Case, Person
from tracing.models import FamilyMember, TracingMatch, TracingRequest


def case_family_members(case: Case) -> QuerySet[FamilyMember]:
    return FamilyMember.objects.filter(case=case).select_related("person__data_key", "recorded_by")


def tracing_requests_visible_to(actor: Actor) -> QuerySet[TracingRequest]:
    """The tracing requests `actor` may see (not those whose key was destroyed by an erasure)."""
    return TracingRequest.objects.filter(tracing_requests_q(actor), data_key__isnull=False)


def tracing_request_get(*, actor: Actor, request_id: int) -> TracingRequest:
    """The request, or 404 when it does not exist or the actor may not see it."""
    found = (
        tracing_requests_visible_to(actor)
        .select_related("data_key", "organisation", "case", "created_by")
        .filter(pk=request_id)
        .first()
    )
    if found is None:
        raise Http404("No tracing request found.")
    return found


def tracing_candidate_persons(*, actor: Actor, tracing_request: TracingRequest) -> QuerySet[Person]:
    """Where a search for `tracing_request` may look: persons with a live tracing consent, whose case
    the request's organisation holds or the actor may see, never erased, never the seeker."""
    cases = Case.objects.filter(tracing_candidate_cases_q(actor, tracing_request.organisation), is_erased=False).values(
        "person_id"
    )
    persons = persons_with_live_consent(Purpose.TRACING).filter(pk__in=cases)
    if tracing_request.case_id is not None:
        persons = persons.exclude(case__pk=tracing_request.case_id)
    return persons


def tracing_matches_shown(*, actor: Actor, tracing_request: TracingRequest) -> QuerySet[TracingMatch]:
    """The matches of a request that may be shown now: their person still holds a live tracing consent
    and is still within the search's reach (proposed, confirmed or rejected alike)."""
    reachable = tracing_candidate_persons(actor=actor, tracing_request=tracing_request)
    return (
        TracingMatch.objects.filter(request=tracing_request, person__in=reachable)
        .select_related("person__data_key", "person__case", "request__data_key", "reviewed_by")
        .prefetch_related("person__aliases")
    )


def _count(rows: QuerySet[Any]) -> Coalesce:
    per_case = rows.order_by().values("case").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(per_case), 0)


def case_panel_counts(case: Case, *, today: dt.date) -> dict[str, int]:
    """For the case page, in one query: consents (all and live), family members, open tracing requests,
    pending and released texts about the person, open media requests and open takedown follow-ups."""
    here = OuterRef("pk")
    return dict(
        Case.objects.filter(pk=case.pk)
        .annotate(
            n_consents=_count(Consent.objects.filter(case=here)),
            n_live_consents=_count(Consent.objects.filter(live_q(today), case=here)),
            n_family_members=_count(FamilyMember.objects.filter(case=here)),
            n_open_tracing=_count(TracingRequest.objects.filter(~Q(status__in=TracingRequest.FINISHED), case=here)),
            n_releases_pending=_count(ReleaseCase.objects.filter(case=here, release__status__in=Release.PENDING)),
            n_releases_released=_count(ReleaseCase.objects.filter(case=here, release__status=Release.Status.RELEASED)),
            n_media_requests=_count(
                MediaRequestPerson.objects.filter(
                    case=here, withdrawn_at__isnull=True, media_request__status__in=MediaRequest.OPEN
                )
            ),
            n_takedowns_open=_count(TakedownRequest.objects.filter(~Q(status__in=TakedownRequest.FINISHED), case=here)),
        )
        .values(
            "n_consents",
            "n_live_consents",
            "n_family_members",
            "n_open_tracing",
            "n_releases_pending",
            "n_releases_released",
            "n_media_requests",
            "n_takedowns_open",
        )
        .get()
    )
