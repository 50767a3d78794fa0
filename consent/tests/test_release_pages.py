"""Pages of the disclosure check, media requests and releases: what each user sees and may do, the
highlighted findings, the redacted download, field errors in the page, and the denials in one line each."""

from __future__ import annotations

import pytest
from django.test import Client

from audit.models import AuditEvent
from conftest import World, verified_client
from consent.models import MediaRequest, Purpose, Release
from consent.services import media as media_services
from consent.services import releases as release_services
from consent.tests.helpers import consent

TEXT = "Ri Chol Su, 26, a sergeant from Hamhung, asked us to thank everyone. Call +380 44 123 4567."


def page(user: str, world: World) -> Client:
    return verified_client(world.user(user))


def release(world: World, who: str = "caseworker_a", text: str = TEXT) -> Release:
    return release_services.release_create(
        actor=world.user(who),
        organisation=world.org_a,
        kind=Release.Kind.PRESS_RELEASE,
        purpose=Purpose.PUBLICATION_OF_LETTER,
        title="Letters of thanks",
        recipient="Morning Courier (fictional)",
        text=text,
        case_references=[world.case_a.reference],
    )


# --- The disclosure check page -------------------------------------------------------------------


@pytest.mark.django_db
def test_the_check_page_highlights_each_finding_and_names_the_case(world: World) -> None:
    response = page("caseworker_a", world).post("/disclosure/check/", {"text": TEXT})
    html = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert '<mark class="finding identifying"' in html and "Ri Chol Su" in html
    assert world.case_a.reference in html  # the caseworker sees the case
    assert "[NAME]" in html and "[PHONE]" in html
    assert AuditEvent.objects.filter(action="disclosure.check").count() == 1
    assert AuditEvent.objects.filter(action="disclosure.named", case_reference=world.case_a.reference).exists()


@pytest.mark.django_db
def test_a_user_who_may_not_see_the_person_is_told_only_that_a_protected_person_is_named(world: World) -> None:
    html = page("caseworker_b", world).post("/disclosure/check/", {"text": TEXT}).content.decode()
    assert world.case_a.reference not in html
    assert "a protected person you may not see" in html
    denied = AuditEvent.objects.get(action="disclosure.named", case_reference=world.case_a.reference)
    assert denied.kind == AuditEvent.Kind.DENIED  # case_a's organisation sees who named its person


@pytest.mark.django_db
def test_the_redacted_version_downloads_without_the_identifiers(world: World) -> None:
    response = page("media_a", world).post("/disclosure/check/", {"text": TEXT, "download": "redacted"})
    body = response.content.decode()
    assert response["Content-Disposition"] == 'attachment; filename="redacted.txt"'
    assert "Ri Chol Su" not in body and "+380" not in body and "[NAME]" in body


@pytest.mark.django_db
def test_an_empty_text_or_a_file_that_is_not_utf8_is_refused_in_the_page(world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = page("caseworker_a", world)
    empty = client.post("/disclosure/check/", {"text": "   "})
    assert empty.status_code == 400 and "Give the text to check." in empty.content.decode()
    binary = client.post("/disclosure/check/", {"file": SimpleUploadedFile("x.txt", b"\xff\xfe\x00bad")})
    assert binary.status_code == 400 and "not UTF-8" in binary.content.decode()
    unknown = client.post("/disclosure/check/", {"text": TEXT, "cases": "PSG-ZZZZ-ZZZZ"})
    assert unknown.status_code == 400 and "No case found" in unknown.content.decode()


@pytest.mark.django_db
def test_roles_that_write_no_outgoing_text_do_not_have_the_check(world: World) -> None:
    for who in ("detaining_a", "auditor_a", "admin_a"):
        assert page(who, world).get("/disclosure/check/").status_code == 404, who
    assert Client().get("/disclosure/check/").status_code == 302  # log in first


# --- Releases ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_release_page_shows_the_findings_and_the_consent_it_needs(world: World) -> None:
    row = release(world)
    html = page("caseworker_a", world).get(f"/releases/{row.pk}/").content.decode()
    assert "Ri Chol Su" in html and '<mark class="finding identifying"' in html
    assert "no live consent for this purpose" in html and "Redact every open finding" in html
    assert AuditEvent.objects.filter(action="release.view", case_reference=world.case_a.reference).exists()


@pytest.mark.django_db
def test_redact_submit_review_and_release_through_the_pages(world: World) -> None:
    consent(world, Purpose.PUBLICATION_OF_LETTER)
    row = release(world)
    author, reviewer = page("caseworker_a", world), page("supervisor_a", world)
    assert author.post(f"/releases/{row.pk}/redact/").status_code == 302
    row.refresh_from_db()
    assert "+380" not in row.text
    assert author.post(f"/releases/{row.pk}/submit/").status_code == 302
    assert (
        reviewer.post(f"/releases/{row.pk}/review/", {"decision": "approve", "reasons": "Nothing left."}).status_code
        == 302
    )
    assert author.post(f"/releases/{row.pk}/release/").status_code == 302
    row.refresh_from_db()
    assert row.status == Release.Status.RELEASED
    download = author.get(f"/releases/{row.pk}/download/")
    assert "+380" not in download.content.decode()


@pytest.mark.django_db
def test_a_refused_step_shows_every_unmet_condition(world: World) -> None:
    row = release(world)
    response = page("caseworker_a", world).post(f"/releases/{row.pk}/submit/", follow=True)
    html = response.content.decode()
    assert "No live consent for this purpose from" in html and "finding(s) that could identify someone" in html


@pytest.mark.django_db
def test_others_cannot_open_a_release(world: World) -> None:
    row = release(world)
    for who in ("caseworker_b", "supervisor_b", "media_b", "detaining_a", "auditor_a", "receiving"):
        assert page(who, world).get(f"/releases/{row.pk}/").status_code == 404, who
    html = page("media_a", world).get(f"/releases/{row.pk}/").content.decode()
    assert "Ri Chol Su" not in html and "names people whose cases you may not see" in html


@pytest.mark.django_db
def test_the_release_list_is_a_fixed_number_of_queries(world: World, django_assert_max_num_queries) -> None:
    for _ in range(5):
        release(world)
    client = page("caseworker_a", world)
    client.get("/releases/")
    with django_assert_max_num_queries(12):
        assert client.get("/releases/").status_code == 200


# --- Media requests ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_media_request_from_the_form_to_the_review(world: World) -> None:
    media, supervisor = page("media_a", world), page("supervisor_a", world)
    response = media.post(
        "/media-requests/new/",
        {
            "outlet": "Fjord Documentary Films (fictional)",
            "purposes": ["interview"],
            "description": "A filmed interview.",
            "cases": world.case_a.reference,
        },
    )
    assert response.status_code == 302
    row = MediaRequest.objects.get()
    html = media.get(f"/media-requests/{row.pk}/").content.decode()
    assert world.case_a.reference in html and "Interview: missing" in html and "Ri Chol Su" not in html
    assert media.post(f"/media-requests/{row.pk}/submit/").status_code == 302
    refused = supervisor.post(
        f"/media-requests/{row.pk}/review/", {"decision": "approve", "reasons": "Go ahead."}, follow=True
    )
    assert "No live consent from" in refused.content.decode()
    consent(world, Purpose.INTERVIEW)
    supervisor.post(f"/media-requests/{row.pk}/review/", {"decision": "approve", "reasons": "Faces not shown."})
    row.refresh_from_db()
    assert row.status == MediaRequest.Status.APPROVED


@pytest.mark.django_db
def test_a_media_request_form_with_errors_keeps_nothing(world: World) -> None:
    response = page("media_a", world).post("/media-requests/new/", {"outlet": "", "purposes": [], "description": ""})
    assert response.status_code == 400 and not MediaRequest.objects.exists()
    unknown = page("media_a", world).post(
        "/media-requests/new/",
        {"outlet": "Outlet", "purposes": ["interview"], "description": "x", "cases": world.case_b.reference},
    )
    assert unknown.status_code == 400 and "No case found" in unknown.content.decode()


@pytest.mark.django_db
def test_others_cannot_open_a_media_request(world: World) -> None:
    row = media_services.media_request_create(
        actor=world.user("media_a"),
        organisation=world.org_a,
        outlet="Outlet",
        purposes=["interview"],
        description="Asks for an interview.",
        case_references=[world.case_a.reference],
    )
    for who in ("media_b", "supervisor_b", "caseworker_b", "detaining_a", "auditor_a"):
        assert page(who, world).get(f"/media-requests/{row.pk}/").status_code == 404, who
