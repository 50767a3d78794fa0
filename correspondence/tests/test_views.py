"""Correspondence pages: the list with the capture card's due date and the month's Art. 71 tally (a fixed
number of queries), recording an item with its attachment, the item's page and its steps, the delivery
form with the disclosure findings highlighted before confirming, the case page's panel; denials in one
line each; bad input gives field errors (400) and writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import World, verified_client
from correspondence.models import Attachment, Correspondence, Delivery
from correspondence.tests.helpers import FILES, LETTER_TEXT, record
from registry.services import custody_add

NOT_SEEING = ["caseworker_b", "caseworker_a_other_team", "media_a", "auditor_a", "receiving", "admin_a"]


def base(world: World) -> str:
    return f"/cases/{world.case_a.reference}/correspondence/"


def form(**values: object) -> dict[str, object]:
    return {
        "direction": "out",
        "kind": "letter",
        "status": "requested",
        "sender": "The person",
        "recipient": "His mother",
        "content": LETTER_TEXT,
        "language": "ko",
        **values,
    }


@pytest.mark.django_db
def test_anonymous_is_sent_to_log_in(world: World) -> None:
    item = record(world)
    for path in (base(world), f"{base(world)}new/", f"{base(world)}{item.pk}/"):
        assert Client().get(path)["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
@pytest.mark.parametrize("who", NOT_SEEING)
def test_those_who_do_not_see_the_case_get_404_everywhere(world: World, who: str) -> None:
    item = record(world)
    page = verified_client(world.user(who))
    for path in (base(world), f"{base(world)}new/", f"{base(world)}{item.pk}/", f"{base(world)}{item.pk}/edit/"):
        assert page.get(path).status_code == 404, path
    assert page.post(f"{base(world)}{item.pk}/approve/").status_code == 404
    assert Correspondence.objects.get().status == "requested"


@pytest.mark.django_db
def test_a_supervisor_reads_but_may_not_record(world: World) -> None:
    item = record(world)
    page = verified_client(world.user("supervisor_a"))
    assert page.get(base(world)).status_code == 200
    assert page.get(f"{base(world)}{item.pk}/").status_code == 200
    assert page.get(f"{base(world)}new/").status_code == 403
    assert page.post(f"{base(world)}{item.pk}/approve/").status_code == 403
    assert page.post(f"{base(world)}new/", form()).status_code == 403
    assert Correspondence.objects.count() == 1


@pytest.mark.django_db
def test_the_list_shows_the_items_the_capture_card_due_and_the_tally(world: World) -> None:
    custody_add(
        actor=world.user("detaining_a"),
        case=world.case_a,
        facility="Camp",
        kind="camp",
        from_date=timezone.localdate() - dt.timedelta(days=10),
    )
    item = record(world, sender="Mother Zwerbel")
    html = verified_client(world.user("caseworker_a")).get(base(world)).content.decode()
    assert f"{base(world)}{item.pk}/" in html and "Mother Zwerbel" in html
    assert "Overdue" in html and "A capture card is due by" in html
    assert "0 letters (minimum 2)" in html and "0 cards (minimum 4)" in html
    assert LETTER_TEXT not in html  # the text is on the item's page only


@pytest.mark.django_db
def test_the_list_page_reads_a_fixed_number_of_queries(world: World, django_assert_num_queries) -> None:
    page = verified_client(world.user("caseworker_a"))
    record(world)
    page.get(base(world))  # warm the session and the memberships
    with CaptureQueriesContext(connection) as one:
        assert page.get(base(world)).status_code == 200
    assert len(one.captured_queries) <= 25  # savepoints make the figure differ between databases
    for _ in range(5):
        record(world, kind="card")
    with django_assert_num_queries(len(one.captured_queries)):
        assert page.get(base(world)).status_code == 200


@pytest.mark.django_db
def test_an_item_is_recorded_with_its_attachment(world: World) -> None:
    name, data = FILES["image/jpeg"]
    upload = SimpleUploadedFile(name, data, content_type="image/jpeg")
    response = verified_client(world.user("caseworker_a")).post(f"{base(world)}new/", form(attachment=upload))
    assert response.status_code == 302, response.content.decode()[:3000]
    item = Correspondence.objects.get()
    assert response["Location"] == f"{base(world)}{item.pk}/"
    assert Attachment.objects.get().content_type == "image/jpeg"


@pytest.mark.django_db
def test_a_bad_attachment_or_field_gives_errors_in_the_page_and_nothing_is_written(world: World) -> None:
    page = verified_client(world.user("caseworker_a"))
    fake = SimpleUploadedFile("scan.jpg", b"\xff\xd8\xff not really", content_type="image/jpeg")
    response = page.post(f"{base(world)}new/", form(attachment=fake))
    assert response.status_code == 400 and "attachment" in response.context["form"].errors
    response = page.post(f"{base(world)}new/", form(direction="in", status="received"))
    assert response.status_code == 400 and "Incoming mail is received" in response.content.decode()
    response = page.post(f"{base(world)}new/", form(kind="pigeon", written_on="yesterday"))
    assert response.status_code == 400 and {"kind", "written_on"} <= set(response.context["form"].errors)
    assert not Correspondence.objects.exists() and not Attachment.objects.exists()


@pytest.mark.django_db
def test_the_item_page_explains_why_a_request_cannot_be_refused_and_approves_it(world: World) -> None:
    item = record(world)
    page = verified_client(world.user("detaining_a"))
    html = page.get(f"{base(world)}{item.pk}/").content.decode()
    assert LETTER_TEXT in html and 'lang="ko"' in html
    assert "This request cannot be refused." in html and "minimum of 2 letters" in html
    assert f"{base(world)}{item.pk}/refuse/" not in html
    response = page.post(f"{base(world)}{item.pk}/refuse/", {"refuse-reason": "Mail is suspended."})
    assert response.status_code == 409 and "minimum of 2 letters" in response.content.decode()
    assert page.post(f"{base(world)}{item.pk}/approve/").status_code == 302
    assert Correspondence.objects.get().status == "approved"
    again = page.post(f"{base(world)}{item.pk}/approve/")
    assert again.status_code == 409 and "not possible in the item" in again.content.decode()


@pytest.mark.django_db
def test_a_request_is_refused_once_the_minimum_is_reached(world: World) -> None:
    for _ in range(2):
        record(world, status="approved")
    item = record(world)
    page = verified_client(world.user("detaining_a"))
    assert f"{base(world)}{item.pk}/refuse/" in page.get(f"{base(world)}{item.pk}/").content.decode()
    empty = page.post(f"{base(world)}{item.pk}/refuse/", {"refuse-reason": ""})
    assert empty.status_code == 400 and "reason" in empty.context["forms"]["refuse"].errors
    assert page.post(f"{base(world)}{item.pk}/refuse/", {"refuse-reason": "Mail is suspended."}).status_code == 302
    assert Correspondence.objects.get(pk=item.pk).status == "refused"


@pytest.mark.django_db
def test_steps_translations_attachments_and_censorship_on_the_item_page(world: World) -> None:
    item = record(world, status="approved")
    page = verified_client(world.user("detaining_a"))
    url = f"{base(world)}{item.pk}/"
    today = timezone.localdate().isoformat()
    assert page.post(f"{url}sent/", {"sent-sent_on": today}).status_code == 302
    assert page.post(f"{url}delivered/", {"delivered-delivered_on": today}).status_code == 302
    assert page.post(f"{url}censorship/", {"censor-state": "ua", "censor-censored_on": today}).status_code == 302
    second = page.post(f"{url}censorship/", {"censor-state": "KR", "censor-censored_on": today})
    assert second.status_code == 409 and "once only" in second.content.decode()
    translation = {"translation-language": "en", "translation-text": "Mother, I am well.", "translation-translator": ""}
    assert page.post(f"{url}translations/", translation).status_code == 302
    name, data = FILES["application/pdf"]
    upload = SimpleUploadedFile(name, data, content_type="application/pdf")
    assert page.post(f"{url}attachments/", {"attachment-attachment": upload}).status_code == 302
    html = page.get(url).content.decode()
    assert "Censored by UA" in html and "Mother, I am well." in html and name in html
    assert Correspondence.objects.get().status == "delivered"
    assert page.post(f"{url}sent/", {"sent-sent_on": "not a date"}).status_code == 400


@pytest.mark.django_db
def test_editing_an_item(world: World) -> None:
    item = record(world)
    page = verified_client(world.user("caseworker_a"))
    assert LETTER_TEXT in page.get(f"{base(world)}{item.pk}/edit/").content.decode()
    values = {"sender": "The person", "recipient": "His sister", "content": "Corrected.", "language": "ko"}
    assert page.post(f"{base(world)}{item.pk}/edit/", values).status_code == 302
    assert Correspondence.objects.select_related("person__data_key").get().recipient == "His sister"
    bad = page.post(f"{base(world)}{item.pk}/edit/", {**values, "language": "Korean!"})
    assert bad.status_code == 400


@pytest.mark.django_db
@pytest.mark.usefixtures("fake_engine")
def test_the_delivery_form_shows_the_findings_highlighted_before_it_is_confirmed(world: World) -> None:
    item = record(world, status="sent", sent_on=dt.date(2025, 3, 1), content="This is Ri Chol Su from Hamhung.")
    page = verified_client(world.user("caseworker_a"))
    url = f"{base(world)}{item.pk}/deliveries/new/"
    assert page.get(url).status_code == 200
    values = {"channel": "family_via_agency", "recipient": "His mother", "version": "original"}
    checked = page.post(url, values)
    html = checked.content.decode()
    assert checked.status_code == 200 and not Delivery.objects.exists()
    assert '<mark class="finding identifying"' in html and "Ri Chol Su" in html
    assert "could identify someone" in html and 'name="confirm"' in html
    confirmed = page.post(url, {**values, "confirm": "1", "sent_on": "2025-03-02"})
    assert confirmed.status_code == 302
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.sent_on) == ("sent", dt.date(2025, 3, 2))
    detail = page.get(confirmed["Location"]).content.decode()
    assert "To the family, through a neutral agency" in detail and "2 passages that could identify" in detail
    bad = page.post(url, {**values, "version": "translation"})
    assert bad.status_code == 400 and not Delivery.objects.exclude(pk=delivery.pk).exists()


@pytest.mark.django_db
def test_the_case_page_shows_the_panel_with_counts_and_links(world: World) -> None:
    record(world)
    record(world, direction="in", status="received", received_on=dt.date(2025, 1, 1))
    html = verified_client(world.user("caseworker_a")).get(f"/cases/{world.case_a.reference}/").content.decode()
    assert f'href="{base(world)}"' in html and "1 out, 1 in" in html and "1 mail request awaits a decision" in html
    assert LETTER_TEXT not in html
