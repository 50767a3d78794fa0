"""The cases API: create, read, search, edit with ETags, and RFC 9457 problem details."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from conftest import World, verified_client
from consent.tests.helpers import consent_to_share
from registry.services import case_create

PROBLEM = "application/problem+json"


@pytest.fixture
def api(world: World):
    return verified_client(world.user("caseworker_a"))


@pytest.mark.django_db
def test_create_returns_the_case_with_its_reference_and_etag(api, world: World) -> None:
    response = api.post(
        "/api/v1/cases/",
        {
            "organisation": "alpha-bureau",
            "family_name": "Jong",
            "given_name": "Song Il",
            "family_name_hangul": "정",
            "given_name_hangul": "성일",
            "date_of_birth": "2001",
            "aliases": [{"name": "Jeong Seong-il"}],
            "languages": ["ko-KP", "ru"],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["reference"].startswith("PSG-")
    assert body["person"]["aliases"] == [{"name": "Jeong Seong-il", "kind": "alias"}]
    assert body["person"]["languages"] == ["ko-KP", "ru"]
    assert response["ETag"] == '"v1"'


@pytest.mark.django_db
def test_invalid_input_names_each_field_and_reason(api) -> None:
    response = api.post(
        "/api/v1/cases/",
        {"organisation": "alpha-bureau", "given_name": "Il", "date_of_birth": "1999-02-30", "sex": "x"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    fields = {error["field"] for error in response.json()["errors"]}
    assert fields == {"family_name", "sex"}
    second = api.post(
        "/api/v1/cases/",
        {
            "organisation": "alpha-bureau",
            "family_name": "Kim",
            "given_name": "Il",
            "date_of_birth": "1999-02-30",
        },
        content_type="application/json",
    )
    assert second.status_code == 400
    assert second.json()["errors"] == [{"field": "date_of_birth", "reason": "There is no such day in that month."}]


@pytest.mark.django_db
def test_an_unknown_organisation_is_404(api) -> None:
    response = api.post(
        "/api/v1/cases/",
        {"organisation": "nowhere", "family_name": "Kim", "given_name": "Il"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM


@pytest.mark.django_db
def test_patch_needs_the_version_it_edits(api, world: World) -> None:
    url = f"/api/v1/cases/{world.case_a.reference}/"
    missing = api.patch(url, {"rank": "Lieutenant"}, content_type="application/json")
    assert missing.status_code == 428
    assert missing.json()["errors"][0]["field"] == "version"
    ok = api.patch(url, {"rank": "Lieutenant"}, content_type="application/json", HTTP_IF_MATCH='"v1"')
    assert ok.status_code == 200
    assert ok["ETag"] == '"v2"'
    stale = api.patch(url, {"rank": "Captain"}, content_type="application/json", HTTP_IF_MATCH='"v1"')
    assert stale.status_code == 409
    assert stale["Content-Type"] == PROBLEM
    assert stale.json()["current_version"] == 2
    assert api.get(url).json()["person"]["rank"] == "Lieutenant"
    malformed = api.patch(url, {"rank": "Captain"}, content_type="application/json", HTTP_IF_MATCH="v2")
    assert malformed.status_code == 400
    assert malformed.json()["errors"][0]["field"] == "If-Match"


@pytest.mark.django_db
def test_patch_with_version_in_the_body_and_invalid_values(api, world: World) -> None:
    url = f"/api/v1/cases/{world.case_a.reference}/"
    response = api.patch(url, {"date_of_birth": "2999", "version": 1}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "date_of_birth", "reason": "The date is in the future."}]
    assert api.patch(url, {"given_name": "Chol-su", "version": 1}, content_type="application/json").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["Ri", "Chol", "리철수", "철수", "Lee Cheol-su", "cheolsu", "ri chol su"])
def test_name_search_finds_the_case_in_any_stored_script(api, world: World, query: str) -> None:
    data = api.get("/api/v1/cases/", {"q": query}).json()
    assert world.case_a.reference in [row["reference"] for row in data["results"]]


@pytest.mark.django_db
def test_stage_filter_and_an_unknown_stage(api, world: World) -> None:
    assert api.get("/api/v1/cases/", {"stage": "captured"}).json()["count"] == 1
    assert api.get("/api/v1/cases/", {"stage": "in_custody"}).json()["count"] == 0
    bad = api.get("/api/v1/cases/", {"stage": "nowhere"})
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "stage"


@pytest.mark.django_db
def test_reading_a_case_is_audited_once_and_a_search_never_stores_the_query(api, world: World) -> None:
    api.get(f"/api/v1/cases/{world.case_a.reference}/")
    assert AuditEvent.objects.filter(action="case.view", case_reference=world.case_a.reference).count() == 1
    api.get("/api/v1/cases/", {"q": "Chol"})
    search = AuditEvent.objects.get(action="case.search")
    assert "Chol" not in str(search.__dict__)


@pytest.mark.django_db
def test_the_list_endpoint_runs_a_constant_number_of_queries(api, world: World) -> None:
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert api.get("/api/v1/cases/").status_code == 200
        return len(context.captured_queries)

    baseline = count_queries()
    for index in range(15):
        case_create(
            actor=world.user("caseworker_a"),
            organisation=world.org_a,
            person={"family_name": "Han", "given_name": f"Il {index}"},
        )
    assert count_queries() == baseline


@pytest.mark.django_db
def test_the_openapi_schema_describes_the_case_endpoints(api) -> None:
    response = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/cases/", "/api/v1/cases/{reference}/"} <= set(schema["paths"])
    assert api.get("/api/v1/docs/").status_code == 200


@pytest.mark.django_db
def test_a_supervisor_shares_and_unshares_a_case_through_the_api(world: World) -> None:
    client = verified_client(world.user("supervisor_a"))
    url = f"/api/v1/cases/{world.case_a.reference}/teams/"
    refused = client.post(url, {"team": world.team_receiving.pk}, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "team"  # no consent to share yet
    consent_to_share(world)
    shared = client.post(url, {"team": world.team_receiving.pk}, content_type="application/json")
    assert shared.status_code == 200
    expected_team = {"id": world.team_receiving.pk, "name": "Liaison", "organisation": "delta"}
    assert expected_team in shared.json()["teams"]
    receiving = verified_client(world.user("receiving"))
    assert receiving.get(f"/api/v1/cases/{world.case_a.reference}/").status_code == 200
    assert client.delete(f"{url}{world.team_receiving.pk}/").status_code == 204
    assert receiving.get(f"/api/v1/cases/{world.case_a.reference}/").status_code == 404
    unknown = client.post(url, {"team": 999999}, content_type="application/json")
    assert unknown.status_code == 400
    assert unknown.json()["errors"] == [{"field": "team", "reason": "No such team."}]
    last = client.delete(f"{url}{world.team_a.pk}/")
    assert last.status_code == 400
    assert last.json()["errors"][0]["field"] == "team"
