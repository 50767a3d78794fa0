"""Reads of consents. Whether a consent is live is decided in the database: not revoked, not past
its expiry date, and the case still at the stage it was given at (compared with F())."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from accounts.models import Organisation
from accounts.policy import Action, Actor, case_access_q, releases_q
from consent.models import SHARING_PURPOSES, Consent, MediaRequest, Purpose, Release, TakedownRequest
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
    return Consent.objects.filter(case=case).select_related(
        "person__data_key", "case", "recorded_by", "revoked_by", "recipient_organisation"
    )


def _recipient_q(*, organisation: Organisation | None, state: str) -> Q:
    """Consents naming this recipient: the organisation itself, or (for a state) its country code."""
    condition = Q(pk__in=[])
    if organisation is not None:
        condition |= Q(recipient_organisation=organisation)
        if organisation.country_code:
            condition |= Q(recipient_state__iexact=organisation.country_code)
    if state:
        condition |= Q(recipient_state__iexact=state)
    return condition


def consented_person_ids(
    person_ids: Collection[int],
    purpose: str,
    *,
    recipient_organisation: Organisation | None = None,
    recipient_state: str = "",
    today: dt.date | None = None,
) -> set[int]:
    """Which of these persons hold a live consent for exactly `purpose` (naming the recipient, for the
    sharing purposes): one query."""
    today = today or timezone.localdate()
    consents = Consent.objects.filter(live_q(today), person_id__in=person_ids, purpose=_checked(purpose))
    if purpose in SHARING_PURPOSES:
        consents = consents.filter(_recipient_q(organisation=recipient_organisation, state=recipient_state))
    return set(consents.values_list("person_id", flat=True))


def consented_pairs(
    person_ids: Collection[int], purposes: Collection[str], *, today: dt.date | None = None
) -> set[tuple[int, str]]:
    """(person id, purpose) for every live consent among these persons and purposes."""
    today = today or timezone.localdate()
    rows = Consent.objects.filter(live_q(today), person_id__in=person_ids, purpose__in=list(purposes))
    return set(rows.values_list("person_id", "purpose"))


# Organisations that reach a case without the person's consent to share: the one holding the case, the
# detaining power (GC III Art. 122 duties) and the neutral protection body (Art. 126 visits).
SHARING_EXEMPT_KINDS = frozenset({Organisation.Kind.DETAINING_POWER, Organisation.Kind.PROTECTION_BODY})


def sharing_purpose_for(case: Case, organisation: Organisation) -> str | None:
    """The consent purpose that sharing `case` with `organisation` needs, or None when it needs none."""
    if organisation.pk == case.organisation_id or organisation.kind in SHARING_EXEMPT_KINDS:
        return None
    if organisation.kind == Organisation.Kind.RECEIVING_STATE:
        return Purpose.SHARING_WITH_STATE
    return Purpose.SHARING_WITH_ORGANISATION


def has_sharing_consent(case: Case, organisation: Organisation, *, today: dt.date | None = None) -> bool:
    """May the person's data be shared with `organisation` now? (DESIGN.md: acceptance needs the person's
    consent to share their data with the receiving state.)"""
    purpose = sharing_purpose_for(case, organisation)
    if purpose is None:
        return True
    state = organisation.country_code if purpose == Purpose.SHARING_WITH_STATE else ""
    return bool(
        consented_person_ids(
            [case.person_id], purpose, recipient_organisation=organisation, recipient_state=state, today=today
        )
    )


def has_state_sharing_consent(case: Case, state: str, *, today: dt.date | None = None) -> bool:
    """A live consent to share the person's data with the state `state` (ISO code)."""
    return bool(consented_person_ids([case.person_id], Purpose.SHARING_WITH_STATE, recipient_state=state, today=today))


def organisations_named_by(consent: Consent) -> QuerySet[Organisation]:
    """The organisations a sharing consent lets receive the data: the one it names, or the receiving-state
    authorities of the state it names."""
    condition = Q(pk__in=[])
    if consent.recipient_organisation_id is not None:
        condition |= Q(pk=consent.recipient_organisation_id)
    if consent.recipient_state:
        condition |= Q(kind=Organisation.Kind.RECEIVING_STATE, country_code__iexact=consent.recipient_state)
    return Organisation.objects.filter(condition)


def media_requests_for(actor: Actor) -> QuerySet[MediaRequest]:
    """The media requests of the organisations where `actor` prepares or reviews them."""
    return MediaRequest.objects.filter(releases_q(actor)).select_related("organisation", "created_by", "data_key")


def releases_for(actor: Actor) -> QuerySet[Release]:
    return Release.objects.filter(releases_q(actor)).select_related("organisation", "created_by", "media_request")


def takedowns_for(actor: Actor) -> QuerySet[TakedownRequest]:
    """Takedown follow-ups of the releases `actor` may open, on cases `actor` may see."""
    return TakedownRequest.objects.filter(
        release__in=releases_for(actor), case__in=Case.objects.filter(case_access_q(actor, Action.VIEW))
    ).select_related("release", "case__person__data_key", "consent")
