"""The consent API: 401, 403, 404, 400 with the field, 200/201; revocation through the API."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from conftest import World, verified_client
from consent.models import Consent

PROBLEM = "application/problem+json"


def body(**extra: object) -> dict[str, object]:
    return {
        "purpose": "tracing",
        "scope": "Names and place of origin.",
        "taken_by": "Committee officer",
        "given_on": timezone.localdate().isoformat(),
        **extra,
    }


def url(world: World, tail: str = "") -> str:
    return f"/api/v1/cases/{world.case_a.reference}/consents/{tail}"


@pytest.mark.django_db
def test_anonymous_gets_401(world: World) -> None:
    response = Client().get(url(world))
    assert response.status_code == 401 and response["Content-Type"] == PROBLEM


@pytest.mark.django_db
def test_a_caseworker_records_lists_and_revokes_a_consent(world: World) -> None:
    api = verified_client(world.user("caseworker_a"))
    created = api.post(url(world), body(recipient="Tracing desk"), content_type="application/json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert (data["purpose"], data["state"], data["is_live"], data["recipient"]) == (
        "tracing",
        "live",
        True,
        "Tracing desk",
    )
    assert data["lifecycle_stage_at_consent"] == world.case_a.stage
    listed = api.get(url(world)).json()
    assert [row["id"] for row in listed] == [data["id"]]
    revoked = api.post(
        url(world, f"{data['id']}/revoke/"), {"revocation_channel": "letter"}, content_type="application/json"
    )
    assert revoked.status_code == 200, revoked.content
    assert (revoked.json()["state"], revoked.json()["revocation_channel"]) == ("revoked", "letter")
    again = api.post(
        url(world, f"{data['id']}/revoke/"), {"revocation_channel": "letter"}, content_type="application/json"
    )
    assert again.status_code == 400 and again["Content-Type"] == PROBLEM


@pytest.mark.django_db
def test_bad_input_is_400_naming_the_field(world: World) -> None:
    api = verified_client(world.user("protection"))
    response = api.post(url(world), body(purpose="selling", given_on="yesterday"), content_type="application/json")
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM
    fields = {error["field"] for error in response.json()["errors"]}
    assert {"purpose", "given_on"} <= fields
    response = api.post(url(world), body(expires_on="2000-01-01"), content_type="application/json")
    assert response.status_code == 400
    assert not Consent.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["supervisor_a", "detaining_a"])
def test_viewers_whose_role_may_not_record_get_403(world: World, who: str) -> None:
    api = verified_client(world.user(who))
    assert api.get(url(world)).status_code == 200
    assert api.post(url(world), body(), content_type="application/json").status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["caseworker_b", "media_a", "caseworker_a_other_team", "receiving"])
def test_those_who_cannot_see_the_case_get_404(world: World, who: str) -> None:
    api = verified_client(world.user(who))
    for response in (
        api.get(url(world)),
        api.post(url(world), body(), content_type="application/json"),
        api.post(url(world, "1/revoke/"), {"revocation_channel": "letter"}, content_type="application/json"),
    ):
        assert response.status_code == 404 and response.json()["detail"] == "No case found."


@pytest.mark.django_db
def test_revoking_a_consent_of_another_case_is_404(world: World) -> None:
    other = verified_client(world.user("caseworker_b"))
    created = other.post(f"/api/v1/cases/{world.case_b.reference}/consents/", body(), content_type="application/json")
    assert created.status_code == 201
    api = verified_client(world.user("caseworker_a"))
    response = api.post(
        url(world, f"{created.json()['id']}/revoke/"), {"revocation_channel": "letter"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert Consent.objects.get().revoked_at is None


@pytest.mark.django_db
def test_the_list_costs_the_same_queries_for_one_consent_or_many(world: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = verified_client(world.user("caseworker_a"))
    api.post(url(world), body(), content_type="application/json")
    with CaptureQueriesContext(connection) as one:
        assert len(api.get(url(world)).json()) == 1
    for purpose in ("image", "audio", "research"):
        api.post(url(world), body(purpose=purpose), content_type="application/json")
    with CaptureQueriesContext(connection) as many:
        assert len(api.get(url(world)).json()) == 4
    assert len(many.captured_queries) == len(one.captured_queries)
