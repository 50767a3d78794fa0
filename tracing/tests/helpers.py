"""Shared set-up for the tracing tests."""

from __future__ import annotations

from django.utils import timezone

from conftest import World
from consent import services as consent_services
from consent.models import Consent, Purpose
from registry.models import Case
from tracing import services
from tracing.models import TracingRequest

# What a relative knows of case_a's person (Ri Chol Su, 리철수, 1999-04, Hamhung): a perfect match.
SOUGHT = {
    "sought_family_name": "Ri",
    "sought_given_name": "Chol Su",
    "sought_family_name_hangul": "리",
    "sought_given_name_hangul": "철수",
    "sought_date_of_birth": "1999-04",
    "sought_place_of_origin": "Hamhung",
    "enquirer_name": "Enquirer Vostrelka",
    "enquirer_contact": "Through the Red Cross office",
    "relation": "son",
}


def tracing_consent(world: World, case: Case | None = None, who: str = "protection") -> Consent:
    return consent_services.consent_record(
        actor=world.user(who),
        case=case or world.case_a,
        purpose=Purpose.TRACING,
        scope="Names, date and place of birth, for tracing.",
        taken_by="Committee officer",
        given_on=timezone.localdate(),
    )


def open_request(world: World, who: str = "caseworker_a", **values: str) -> TracingRequest:
    return services.tracing_request_create(
        actor=world.user(who),
        organisation=world.org_a if who.endswith(("_a", "_a_other_team")) else world.org_b,
        direction=TracingRequest.Direction.RELATIVE_SEEKS_PERSON,
        values={**SOUGHT, **values},
    )
