"""A media request from creation to release, through the pages, in Debian's Chromium (Playwright).

A media officer records a documentary producer's request for case_a; it is refused review until the
protection officer has taken the person's consent; a supervisor approves it; the media officer prepares
the interview notes for the outlet, sees what the disclosure check found highlighted, redacts what no
consent covers, submits; the supervisor reviews the text and the media officer records it as released.
The disclosure check page and the release page are checked at 360 px.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from conftest import World
from consent.models import MediaRequest, Release
from tests.test_browser import browser_type_launch_args, log_in  # noqa: F401  (the fixture is used by pytest)
from tests.test_browser_lifecycle import enrol, submit

pytestmark = [pytest.mark.browser]

NOTES = (
    "Interview notes. Ri Chol Su spoke for two hours about his wish to go south. "
    "The producer may be reached on +380 44 555 0199."
)


def record_consent(page: Any, base: str, reference: str, purpose: str, today: dt.date) -> None:
    page.goto(f"{base}/cases/{reference}/consents/")
    page.select_option("#id_purpose", purpose)
    page.fill("#id_recipient", "Fjord Documentary Films")
    page.fill("#id_scope", "One filmed interview; no face, no voice.")
    page.fill("#id_given_on", today.isoformat())
    page.fill("#id_language", "Korean (northern)")
    page.fill("#id_taken_by", "Committee officer")
    submit(page, "#record ~ form button[type=submit]")
    assert page.locator("text=Consent recorded.").is_visible()


def fits_360(page: Any, url: str, name: str) -> None:
    """The page fits a 360-pixel screen; screenshots at 360 and 1200 px with PASSAGE_SCREENSHOT_DIR."""
    keep = os.environ.get("PASSAGE_SCREENSHOT_DIR", "")
    for width in (360, 1200):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(url)
        if width == 360:
            assert page.evaluate("document.documentElement.scrollWidth") <= 360, url
        if keep:
            page.screenshot(path=str(Path(keep) / f"{name}-{width}.png"), full_page=True)


@pytest.mark.django_db(transaction=True)
def test_a_media_request_goes_from_creation_through_consent_review_and_check_to_release(
    live_server: Any, browser: Any, world: World
) -> None:
    today = timezone.localdate()
    reference = world.case_a.reference
    pages = {}
    for key, (email, secret) in enrol(world, "media_a", "protection", "supervisor_a").items():
        pages[key] = browser.new_context().new_page()
        log_in(pages[key], live_server.url, email, secret)
    media, protection, supervisor = pages["media_a"], pages["protection"], pages["supervisor_a"]
    base = live_server.url

    # The media officer records the producer's request, naming the person by reference only.
    media.goto(base)
    media.click("nav >> text=Media requests")
    media.click("text=Record a media request")
    media.fill("#id_outlet", "Fjord Documentary Films (fictional)")
    media.check("input[name=purposes][value=interview]")
    media.fill("#id_description", "A producer asks for a filmed interview for a documentary.")
    media.fill("#id_cases", reference)
    submit(media, "main form button[type=submit]")
    assert media.locator("text=Media request recorded.").is_visible()
    assert "Interview: missing" in media.content() and "Ri Chol Su" not in media.content()
    submit(media, "button:has-text('Submit for review')")
    request_url = media.url

    # The review is refused while no consent holds.
    supervisor.goto(request_url)
    supervisor.check("input[name=decision][value=approve]")
    supervisor.fill("#id_reasons", "Faces and voices are not recorded.")
    submit(supervisor, "button:has-text('Record the review')")
    assert "No live consent from" in supervisor.content()

    # The protection officer takes the consent; the supervisor approves.
    record_consent(protection, base, reference, "interview", today)
    supervisor.goto(request_url)
    supervisor.check("input[name=decision][value=approve]")
    supervisor.fill("#id_reasons", "Faces and voices are not recorded.")
    submit(supervisor, "button:has-text('Record the review')")
    assert supervisor.locator("text=Request approved.").is_visible()
    assert MediaRequest.objects.get().status == MediaRequest.Status.APPROVED

    # The media officer prepares the material; the check marks the name and the phone number.
    media.goto(request_url)
    media.click("text=Prepare material for release")
    media.fill("#id_title", "Interview notes for the producer")
    media.fill("#id_text", NOTES)
    submit(media, "main form button[type=submit]")
    assert media.locator("text=Release prepared and checked.").is_visible()
    marks = media.locator("mark.finding.identifying")
    assert marks.count() >= 2
    assert "Covered by consent: the review decides" in media.content()  # the name of the consenting person
    submit(media, "button:has-text('Redact every open finding')")
    assert "+380" not in media.locator(".checked-text").inner_text()
    assert "Ri Chol Su" in media.locator(".checked-text").inner_text()  # covered: left to the review
    submit(media, "button:has-text('Submit for review')")
    assert media.locator("text=Submitted for review.").is_visible()
    release_url = media.url

    # The supervisor reviews the text as it stands and approves; the media officer releases it.
    supervisor.goto(release_url)
    supervisor.check("input[name=decision][value=approve]")
    supervisor.fill("#id_reasons", "Only the name remains, with his consent.")
    submit(supervisor, "button:has-text('Record the review')")
    assert supervisor.locator("text=Release approved.").is_visible()
    media.goto(release_url)
    submit(media, "button:has-text('Record as released')")
    assert media.locator("text=Recorded as released.").is_visible()
    release = Release.objects.get()
    assert release.status == Release.Status.RELEASED and "+380" not in release.text

    # The disclosure check page: paste, see the marks, download the redacted version.
    media.goto(f"{base}/disclosure/check/")
    media.fill("#id_text", "Ri Chol Su, 26, a sergeant from Hamhung, said he was well.")
    submit(media, "main form button[type=submit]")
    assert media.locator("mark.finding.identifying").count() >= 1
    assert "a protected person you may not see" in media.content()  # the media officer sees no identities
    with media.expect_download() as download:
        media.click("button:has-text('Download the redacted version')")
    redacted = download.value.path().read_text(encoding="utf-8")
    assert "Ri Chol Su" not in redacted and "[NAME]" in redacted

    fits_360(media, release_url, "release")
    fits_360(media, request_url, "media-request")
    fits_360(media, f"{base}/disclosure/check/", "disclosure-check")
    # The check's result, as the supervisor (who sees the case) has it.
    supervisor.goto(f"{base}/disclosure/check/")
    supervisor.fill("#id_text", "Ri Chol Su, 26, a sergeant from Hamhung, said he was well. Call +380 44 123 4567.")
    submit(supervisor, "main form button[type=submit]")
    assert reference in supervisor.content()
    keep = os.environ.get("PASSAGE_SCREENSHOT_DIR", "")
    if keep:
        for width in (360, 1200):
            supervisor.set_viewport_size({"width": width, "height": 900})
            supervisor.screenshot(path=str(Path(keep) / f"disclosure-result-{width}.png"), full_page=True)
