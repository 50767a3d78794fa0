"""Shared set-up for the tests of consents, media requests and releases."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accounts.models import Organisation
from conftest import World
from consent import services
from consent.models import Consent, Purpose
from registry.models import Case

STATE = "KR"


def consent(
    world: World,
    purpose: str,
    case: Case | None = None,
    *,
    who: str = "protection",
    given_on: dt.date | None = None,
    expires_on: dt.date | None = None,
    **values: object,
) -> Consent:
    """A consent of the person in `case` (default case_a) for `purpose`, taken today by `who`."""
    fields: dict[str, object] = {
        "scope": "What the purpose needs, nothing more.",
        "taken_by": "Officer of the committee",
        "language": "Korean (northern)",
        "interpreter": "Committee interpreter",
    }
    fields.update(values)
    return services.consent_record(
        actor=world.user(who),
        case=case or world.case_a,
        purpose=purpose,
        given_on=given_on or timezone.localdate(),
        expires_on=expires_on,
        **fields,  # type: ignore[arg-type]
    )


def consent_to_share(
    world: World, case: Case | None = None, *, organisation: Organisation | None = None, who: str = "protection"
) -> Consent:
    """Consent to share with the receiving state's authority of the world (or another organisation)."""
    organisation = organisation or world.receiving_state
    if organisation.kind == Organisation.Kind.RECEIVING_STATE:
        return consent(
            world,
            Purpose.SHARING_WITH_STATE,
            case,
            who=who,
            recipient_organisation=organisation,
            recipient_state=organisation.country_code or STATE,
        )
    return consent(world, Purpose.SHARING_WITH_ORGANISATION, case, who=who, recipient_organisation=organisation)
