"""Reads of consents. Whether a consent is live is decided in the database: not revoked, not past
its expiry date, and the case still at the stage it was given at (compared with F())."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from consent.models import Consent, Purpose
from registry.models import Case, Person


def live_q(today: dt.date, prefix: str = "") -> Q:
    """A filter on Consent (or, with `prefix`, through a relation) keeping the consents that hold on `today`."""
    return Q(
        **{f"{prefix}revoked_at__isnull": True},
        **{f"{prefix}lifecycle_stage_at_consent": F(f"{prefix}case__stage")},
    ) & (Q(**{f"{prefix}expires_on__isnull": True}) | Q(**{f"{prefix}expires_on__gte": today}))


def _checked(purpose: str) -> str:
    if purpose not in Purpose.values:
        raise ValueError(f"Unknown consent purpose {purpose!r}.")
    return purpose


def live_consents(person: Person, purpose: str, *, today: dt.date | None = None) -> QuerySet[Consent]:
    """The person's consents for exactly `purpose` that hold today."""
    today = today or timezone.localdate()
    return Consent.objects.filter(live_q(today), person=person, purpose=_checked(purpose))


def has_live_consent(person: Person, purpose: str, *, today: dt.date | None = None) -> bool:
    return live_consents(person, purpose, today=today).exists()


def persons_with_live_consent(purpose: str, *, today: dt.date | None = None) -> QuerySet[Person]:
    """Persons (not erased) holding a live consent for exactly `purpose`: one query, filtered in the database."""
    today = today or timezone.localdate()
    live = Consent.objects.filter(live_q(today), purpose=_checked(purpose)).values("person_id")
    return Person.objects.filter(pk__in=live, erased_at__isnull=True)


def case_consents(case: Case) -> QuerySet[Consent]:
    """Every consent of the case, newest first, ready to decrypt and to show who recorded or revoked it."""
    return Consent.objects.filter(case=case).select_related("person__data_key", "case", "recorded_by", "revoked_by")
