"""Registry pages: field-level messages, the edit conflict, htmx search, the caseload chart."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from conftest import World, case_named, verified_client
from registry.models import Case, Person
from registry.services import case_create


def edit_form_data(case: Case, **changes: str) -> dict[str, str]:
    person = case.person
    data = {
        "family_name": person.family_name,
        "given_name": person.given_name,
        "family_name_hangul": person.family_name_hangul,
        "given_name_hangul": person.given_name_hangul,
        "sex": person.sex,
        "date_of_birth": person.date_of_birth,
        "place_of_origin": person.place_of_origin,
        "unit": person.unit,
        "rank": person.rank,
        "languages": ", ".join(person.languages),
        "version": str(case.version),
        "aliases-TOTAL_FORMS": "1",
        "aliases-INITIAL_FORMS": "0",
        "aliases-MIN_NUM_FORMS": "0",
        "aliases-MAX_NUM_FORMS": "20",
        "aliases-0-name": "Lee Cheol-su",
        "aliases-0-kind": "alias",
    }
    data.update(changes)
    return data


@pytest.fixture
def caseworker(world: World) -> Client:
    return verified_client(world.user("caseworker_a"))


@pytest.mark.django_db
def test_the_detail_page_shows_the_person_and_logs_the_read(caseworker: Client, world: World) -> None:
    response = caseworker.get(f"/cases/{world.case_a.reference}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Chol Su" in html and "리" in html and "Lee Cheol-su" in html
    assert AuditEvent.objects.filter(action="case.view", case_reference=world.case_a.reference).count() == 1


@pytest.mark.django_db
def test_an_edit_is_saved_and_shown(caseworker: Client, world: World) -> None:
    url = f"/cases/{world.case_a.reference}/edit/"
    response = caseworker.post(url, edit_form_data(world.case_a, rank="Lieutenant"))
    assert response.status_code == 302
    assert "Lieutenant" in caseworker.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_invalid_fields_are_marked_next_to_the_field(caseworker: Client, world: World) -> None:
    url = f"/cases/{world.case_a.reference}/edit/"
    response = caseworker.post(
        url, edit_form_data(world.case_a, date_of_birth="1999-13", family_name="", given_name_hangul="Chol")
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["family_name"] == ["This field is required."]
    assert form.errors["date_of_birth"] == ["The month must be between 01 and 12."]
    assert form.errors["given_name_hangul"] == ["Use Hangul syllables only."]
    assert 'id="id_date_of_birth_error"' in response.content.decode()
    assert Person.objects.get(pk=world.case_a.person_id).date_of_birth == "1999-04"


@pytest.mark.django_db
def test_two_people_editing_the_same_case_get_a_conflict_and_nothing_is_lost(world: World) -> None:
    first, second = verified_client(world.user("caseworker_a")), verified_client(world.user("supervisor_a"))
    url = f"/cases/{world.case_a.reference}/edit/"
    stale = first.get(url).context["form"].initial["version"]
    assert second.post(url, edit_form_data(world.case_a, rank="Lieutenant")).status_code == 302
    response = first.post(url, edit_form_data(world.case_a, place_of_origin="Wonsan", version=str(stale)))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this case while you were editing it." in html
    assert response.context["form"]["place_of_origin"].value() == "Wonsan"
    assert response.context["form"]["version"].value() == "2"
    person = Person.objects.get(pk=world.case_a.person_id)
    assert (person.rank, person.place_of_origin) == ("Lieutenant", "Hamhung")
    # Saving again, deliberately, over the version now shown, keeps both changes visible to the user.
    again = first.post(url, edit_form_data(Case.objects.get(pk=world.case_a.pk), place_of_origin="Wonsan"))
    assert again.status_code == 302
    person.refresh_from_db()
    assert (person.rank, person.place_of_origin) == ("Lieutenant", "Wonsan")


@pytest.mark.django_db
def test_the_create_page_registers_a_person_and_opens_the_case(caseworker: Client, world: World) -> None:
    data = edit_form_data(
        world.case_a,
        family_name="Kang",
        given_name="Myong Il",
        family_name_hangul="강",
        given_name_hangul="명일",
        organisation=str(world.org_a.pk),
        entry_route="prisoner",
        stage="captured",
    )
    data.pop("version")
    response = caseworker.post("/cases/new/", data)
    assert response.status_code == 302
    case = case_named("Myong Il")
    assert response["Location"] == f"/cases/{case.reference}/"
    assert case.stage == "captured"


@pytest.mark.django_db
def test_the_create_page_refuses_an_organisation_the_user_is_not_in(caseworker: Client, world: World) -> None:
    data = edit_form_data(world.case_a, organisation=str(world.org_b.pk), entry_route="prisoner", stage="captured")
    response = caseworker.post("/cases/new/", data)
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors


@pytest.mark.django_db
def test_a_custody_record_with_a_bad_range_is_refused_in_the_page(caseworker: Client, world: World) -> None:
    response = caseworker.post(
        f"/cases/{world.case_a.reference}/custody/",
        {"facility": "Camp 2", "kind": "camp", "from_date": "2025-05-01", "to_date": "2025-04-01"},
    )
    assert response.status_code == 400
    assert "The end date must be on or after the start date." in response.content.decode()


@pytest.mark.django_db
def test_htmx_search_returns_only_the_rows(caseworker: Client, world: World) -> None:
    response = caseworker.get("/cases/", {"q": "철수"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert world.case_a.reference in html


@pytest.mark.django_db
def test_the_case_list_runs_a_constant_number_of_queries(caseworker: Client, world: World) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            assert caseworker.get("/cases/").status_code == 200
        return len(context.captured_queries)

    baseline = count()
    for index in range(12):
        case_create(
            actor=world.user("caseworker_a"),
            organisation=world.org_a,
            person={"family_name": "Han", "given_name": f"Il {index}"},
        )
    assert count() == baseline


@pytest.mark.django_db
def test_the_home_page_draws_the_caseload_by_stage(world: World) -> None:
    response = verified_client(world.user("supervisor_a")).get("/")
    html = response.content.decode()
    assert "<svg" in html and 'aria-label="Captured: 1"' in html


@pytest.mark.django_db
def test_pages_are_served_in_korean(caseworker: Client) -> None:
    response = caseworker.get("/cases/", HTTP_ACCEPT_LANGUAGE="ko")
    assert response["Content-Language"] == "ko"
    assert '<html lang="ko">' in response.content.decode()


@pytest.mark.django_db
def test_sharing_without_the_persons_consent_is_refused_on_the_page_and_with_it_done(world: World) -> None:
    from consent.tests.helpers import consent_to_share

    client = verified_client(world.user("supervisor_a"))
    url = f"/cases/{world.case_a.reference}/teams/"
    response = client.post(url, {"team": world.team_receiving.pk}, follow=True)
    assert "no live consent to share their data with Delta Mission" in response.content.decode()
    assert not world.case_a.assignments.filter(team=world.team_receiving).exists()
    consent_to_share(world)
    client.post(url, {"team": world.team_receiving.pk})
    assert world.case_a.assignments.filter(team=world.team_receiving).exists()
