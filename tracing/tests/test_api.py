"""The tracing API: 401, 403 for those who trace nowhere, 404 for requests of others, 400 with the
field, and the whole flow: open, search, confirm or reject."""

from __future__ import annotations

import pytest
from django.test import Client

from conftest import World, verified_client
from tracing.models import TracingRequest
from tracing.tests.helpers import SOUGHT, open_request, tracing_consent

PROBLEM = "application/problem+json"
BASE = "/api/v1/tracing/requests/"


@pytest.mark.django_db
def test_anonymous_gets_401(world: World) -> None:
    assert Client().get(BASE).status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["detaining_a", "supervisor_a", "media_a", "auditor_a", "receiving"])
def test_those_who_trace_nowhere_get_403(world: World, who: str) -> None:
    tracing_request = open_request(world)
    api = verified_client(world.user(who))
    for response in (
        api.get(BASE),
        api.post(BASE, {"direction": "relative_seeks_person"}, content_type="application/json"),
        api.get(f"{BASE}{tracing_request.pk}/"),
        api.post(f"{BASE}{tracing_request.pk}/search/"),
    ):
        assert response.status_code == 403 and response["Content-Type"] == PROBLEM


@pytest.mark.django_db
def test_a_request_of_another_organisation_is_404(world: World) -> None:
    tracing_request = open_request(world)
    api = verified_client(world.user("caseworker_b"))
    assert api.get(f"{BASE}{tracing_request.pk}/").status_code == 404
    assert api.post(f"{BASE}{tracing_request.pk}/search/").status_code == 404
    assert api.get(BASE).json() == []


@pytest.mark.django_db
def test_bad_input_is_400_naming_the_field(world: World) -> None:
    api = verified_client(world.user("caseworker_a"))
    response = api.post(
        BASE,
        {"direction": "sideways", "relation": "son", "sought_date_of_birth": "1999-13"},
        content_type="application/json",
    )
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM
    assert "direction" in {error["field"] for error in response.json()["errors"]}
    response = api.post(
        BASE,
        {
            "direction": "relative_seeks_person",
            "relation": "son",
            "sought_family_name": "Ri",
            "sought_date_of_birth": "1999-13",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert {error["field"] for error in response.json()["errors"]} >= {"sought_given_name"}
    response = api.post(
        BASE, {**SOUGHT, "direction": "person_seeks_family", "case": "PSG-0000-0000"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert not TracingRequest.objects.exists()


@pytest.mark.django_db
def test_open_search_and_confirm_through_the_api(world: World) -> None:
    tracing_consent(world)
    api = verified_client(world.user("caseworker_a"))
    created = api.post(BASE, {**SOUGHT, "direction": "relative_seeks_person"}, content_type="application/json")
    assert created.status_code == 201, created.content
    request_id = created.json()["id"]
    assert created.json()["sought_given_name_hangul"] == "철수" and created.json()["status"] == "open"
    searched = api.post(f"{BASE}{request_id}/search/")
    assert searched.status_code == 200, searched.content
    assert searched.json()["status"] == "candidates_found"
    [match] = searched.json()["matches"]
    assert match["case"] == world.case_a.reference and match["date_of_birth_agrees"] is True
    assert {row["field"]: row["agrees"] for row in match["comparison"]}["Name (Hangul)"] is True
    detail = api.get(f"{BASE}{request_id}/").json()
    assert [m["id"] for m in detail["matches"]] == [match["id"]]
    confirmed = api.post(
        f"{BASE}{request_id}/matches/{match['id']}/confirm/", {"note": "Agreed."}, content_type="application/json"
    )
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    assert api.get(f"{BASE}{request_id}/").json()["status"] == "confirmed"
    again = api.post(f"{BASE}{request_id}/matches/{match['id']}/reject/", {}, content_type="application/json")
    assert again.status_code == 400
    assert (
        api.post(f"{BASE}{request_id}/matches/999999/reject/", {}, content_type="application/json").status_code == 404
    )


@pytest.mark.django_db
def test_rejecting_through_the_api_reopens_the_request(world: World) -> None:
    tracing_consent(world)
    api = verified_client(world.user("caseworker_a"))
    request_id = open_request(world).pk
    [match] = api.post(f"{BASE}{request_id}/search/").json()["matches"]
    rejected = api.post(f"{BASE}{request_id}/matches/{match['id']}/reject/", {}, content_type="application/json")
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert api.get(f"{BASE}{request_id}/").json()["status"] == "open"


@pytest.mark.django_db
def test_the_list_answers_in_a_fixed_number_of_queries(world: World, django_assert_max_num_queries) -> None:
    for _ in range(5):
        open_request(world)
    api = verified_client(world.user("caseworker_a"))
    with django_assert_max_num_queries(20):
        response = api.get(BASE)
    assert len(response.json()) == 5
