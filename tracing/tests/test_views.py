"""Tracing pages: the list with each request's status, opening a request, the side-by-side review with
its confirm and reject buttons; denials in one line each."""

from __future__ import annotations

import pytest
from django.utils.html import escape

from conftest import World, verified_client
from tracing.models import TracingMatch, TracingRequest
from tracing.tests.helpers import SOUGHT, open_request, tracing_consent


@pytest.mark.django_db
def test_the_list_shows_each_request_with_its_status_and_the_nav_links_to_it(world: World) -> None:
    open_request(world)
    page = verified_client(world.user("caseworker_a"))
    html = page.get("/tracing/").content.decode()
    assert "Ri Chol Su" in html and "Open" in html
    assert 'href="/tracing/"' in page.get("/").content.decode()
    assert 'href="/tracing/"' not in verified_client(world.user("detaining_a")).get("/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["detaining_a", "supervisor_a", "media_a", "auditor_a"])
def test_those_who_trace_nowhere_get_404(world: World, who: str) -> None:
    tracing_request = open_request(world)
    page = verified_client(world.user(who))
    assert page.get("/tracing/").status_code == 404
    assert page.get("/tracing/new/").status_code == 404
    assert page.get(f"/tracing/{tracing_request.pk}/").status_code == 404


@pytest.mark.django_db
def test_a_request_is_opened_on_the_page(world: World) -> None:
    page = verified_client(world.user("caseworker_a"))
    form = {**SOUGHT, "organisation": str(world.org_a.pk), "direction": "relative_seeks_person"}
    response = page.post("/tracing/new/", form)
    assert response.status_code == 302, response.content.decode()
    assert TracingRequest.objects.get().status == "open"
    bad = page.post("/tracing/new/", {**form, "direction": "person_seeks_family"})
    assert bad.status_code == 400 and "case_reference" in bad.context["form"].errors
    prefilled = page.get(f"/tracing/new/?case={world.case_a.reference}").content.decode()
    assert world.case_a.reference in prefilled


@pytest.mark.django_db
def test_a_registered_person_seeking_family_through_the_page(world: World) -> None:
    page = verified_client(world.user("protection"))
    form = {
        **SOUGHT,
        "organisation": str(world.protection_body.pk),
        "direction": "person_seeks_family",
        "case_reference": world.case_a.reference,
        "relation": "mother",
    }
    assert page.post("/tracing/new/", form).status_code == 302
    assert TracingRequest.objects.get().case == world.case_a
    other = verified_client(world.user("caseworker_b"))
    response = other.post(
        "/tracing/new/", {**form, "organisation": str(world.org_b.pk), "case_reference": world.case_a.reference}
    )
    assert response.status_code == 400 and "case_reference" in response.context["form"].errors


@pytest.mark.django_db
def test_the_review_shows_sought_and_candidate_side_by_side_and_confirms(world: World) -> None:
    tracing_consent(world)
    tracing_request = open_request(world, sought_place_of_origin="Chongjin")
    page = verified_client(world.user("caseworker_a"))
    assert page.post(f"/tracing/{tracing_request.pk}/search/").status_code == 302
    html = page.get(f"/tracing/{tracing_request.pk}/").content.decode()
    assert "리철수" in html and "Hamhung" in html and "Chongjin" in html
    assert "agrees" in html and "differs" in html
    match = TracingMatch.objects.get()
    assert f"/tracing/{tracing_request.pk}/matches/{match.pk}/confirm/" in html
    assert f"/tracing/{tracing_request.pk}/matches/{match.pk}/reject/" in html
    response = page.post(
        f"/tracing/{tracing_request.pk}/matches/{match.pk}/confirm/", {f"m{match.pk}-note": "Same man."}
    )
    assert response.status_code == 302
    assert TracingRequest.objects.get().status == "confirmed"
    assert escape("Reviewed on") in page.get(f"/tracing/{tracing_request.pk}/").content.decode()


@pytest.mark.django_db
def test_a_person_without_consent_never_appears_on_the_review_page(world: World) -> None:
    tracing_request = open_request(world)
    page = verified_client(world.user("caseworker_a"))
    page.post(f"/tracing/{tracing_request.pk}/search/")
    html = page.get(f"/tracing/{tracing_request.pk}/").content.decode()
    assert world.case_a.reference not in html and "No candidates" in html


@pytest.mark.django_db
def test_rejecting_and_closing_on_the_page(world: World) -> None:
    tracing_consent(world)
    tracing_request = open_request(world)
    page = verified_client(world.user("caseworker_a"))
    page.post(f"/tracing/{tracing_request.pk}/search/")
    match = TracingMatch.objects.get()
    assert page.post(f"/tracing/{tracing_request.pk}/matches/{match.pk}/reject/").status_code == 302
    assert TracingMatch.objects.get().status == "rejected"
    assert page.post(f"/tracing/{tracing_request.pk}/close/", {"status": "closed_no_match"}).status_code == 302
    assert TracingRequest.objects.get().status == "closed_no_match"
    assert verified_client(world.user("caseworker_b")).post(f"/tracing/{tracing_request.pk}/close/").status_code == 404
