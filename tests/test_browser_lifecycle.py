"""The protection lifecycle through its pages, in Debian's Chromium driven by Playwright.

A case whose wish was recorded is taken to `transferred` by the people who do each step: the neutral
interviewer, the owning organisation's supervisor (who decides, but never interviewed) and the
receiving state's liaison; each sees the checklist of the next step change as records are added.
Then the notification of the transfer is marked forwarded, and the pages are checked at 360 px.

Set PASSAGE_SCREENSHOT_DIR to keep screenshots of the case page at 360 and 1200 px.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import timezone

from conftest import World
from protection.scenarios import walk_to
from protection.stages import Stage
from protection.tests.test_lifecycle_walk import cast_of
from registry.models import Case
from tests.test_browser import browser_type_launch_args, log_in  # noqa: F401  (the fixture is used by pytest)

pytestmark = [pytest.mark.browser]


def enrol(world: World, *keys: str) -> dict[str, tuple[str, str]]:
    accounts = {}
    for key in keys:
        user = world.user(key)
        secret = generate_totp_secret()
        TOTP.activate(user, secret)
        accounts[key] = (user.email, secret)
    return accounts


def submit(page: Any, selector: str) -> None:
    """Click a submit button and wait for the page the form leads to."""
    with page.expect_navigation():
        page.click(selector)


def step(page: Any, target: str) -> Any:
    return page.locator(f"#step-{target}")


def consent_to_share(page: Any, url: str, *, today: dt.date) -> None:
    """The protection officer records, on the consents page, the person's consent to share their data
    with the receiving state (KR), at the case's current stage."""
    page.goto(f"{url}consents/")
    page.select_option("#id_purpose", "sharing_with_state")
    page.select_option("#id_recipient_organisation", label="Delta Mission")
    page.fill("#id_recipient_state", "KR")
    page.fill("#id_scope", "Identity and the protection request.")
    page.fill("#id_given_on", today.isoformat())
    page.fill("#id_language", "Korean (northern)")
    page.fill("#id_taken_by", "Committee officer")
    submit(page, "#record ~ form button[type=submit]")
    assert page.locator("text=Consent recorded.").is_visible()


def interview(page: Any, *, kind: str, today: dt.date) -> None:
    page.select_option("#id_kind", kind)
    page.fill("#id_held_on", today.isoformat())
    page.fill("#id_place", "Interview room 3")
    page.check("#id_independence_declared")
    page.fill("#id_language", "Korean (northern)")
    page.check("#id_korean_spoken")
    page.fill("#id_interpreter", "Independent interpreter")
    page.check("#id_interpreter_is_independent")
    page.fill("#id_present", "Interviewer, interpreter")
    page.check("#id_is_private")
    page.check("#id_options_briefing_given")
    page.check("#id_understanding_confirmed")
    page.check("#id_fit_for_interview")
    page.select_option("#id_stated_wish", "go")
    page.fill("#id_stated_destination", "kr")
    page.fill("#id_reasons", "Stated in the person's own words.")
    submit(page, "main form button[type=submit]")
    assert page.locator("text=Interview recorded.").is_visible()


@pytest.mark.django_db(transaction=True)
def test_a_case_goes_from_a_recorded_wish_to_the_transfer_through_the_pages(
    live_server: Any, browser: Any, world: World
) -> None:
    today = timezone.localdate()
    case = walk_to(world.case_a, Stage.WISH_RECORDED, cast_of(world), start=today - dt.timedelta(days=30))
    accounts = enrol(world, "protection", "protection_2", "supervisor_a", "receiving")
    url = f"{live_server.url}/cases/{case.reference}/"
    pages = {}
    for key, (email, secret) in accounts.items():
        pages[key] = browser.new_context().new_page()
        log_in(pages[key], live_server.url, email, secret)
    interviewer, decider = pages["protection"], pages["protection_2"]
    supervisor, receiving = pages["supervisor_a"], pages["receiving"]

    # The interviewer starts verifying, then holds a second private interview, eight or more days on.
    interviewer.goto(url)
    assert "Ready" in step(interviewer, "wish_verifying").inner_text()
    submit(interviewer, "#step-wish_verifying button[type=submit]")
    decision = step(interviewer, "wish_established").inner_text()
    assert "1 on file" in decision
    assert "The decision maker interviewed the person" in decision
    interviewer.click("text=Record an interview or a statement")
    interview(interviewer, kind="wish_verification", today=today)
    decision = step(interviewer, "wish_established").inner_text()
    assert "1 on file" not in decision and "The decision maker interviewed the person" in decision

    # A second protection officer, who interviewed no one, decides; without reasons the page lists
    # what is missing.
    decider.goto(url)
    assert "Ready" in step(decider, "wish_established").inner_text()
    submit(decider, "#step-wish_established button[type=submit]")
    refusal = decider.locator("#refusal").inner_text()
    assert "Write down the reasons for the decision." in refusal
    decider.fill("#note-wish_established", "Two private interviews, sixteen days apart, agree.")
    submit(decider, "#step-wish_established button[type=submit]")
    assert decider.locator("h1 .stage").inner_text() == "Wish established"

    # Non-refoulement: the home state and the destination are assessed, then confirmed.
    supervisor.goto(url)
    risk = step(supervisor, "risk_assessed").inner_text()
    assert "No risk assessment for KP." in risk and "No risk assessment for KR." in risk
    for state, risk_found in (("KP", True), ("KR", False)):
        supervisor.click("#step-risk_assessed a:has-text('Record it')")
        supervisor.fill("#id_destination", state)
        supervisor.fill("#id_assessed_on", today.isoformat())
        supervisor.check("#id_protecting_body_consulted")
        supervisor.set_checked("#id_risk_found", risk_found)
        supervisor.fill("#id_reasons", "Assessment on file.")
        submit(supervisor, "main form button[type=submit]")
    assert "Ready" in step(supervisor, "risk_assessed").inner_text()
    submit(supervisor, "#step-risk_assessed button[type=submit]")
    # Without the person's consent the receiving state's team is not given access; with it, it is.
    supervisor.select_option("#id_team", label="Liaison (Delta Mission)")
    submit(supervisor, "button:has-text('Give access')")
    assert "no live consent to share" in supervisor.content()
    consent_to_share(interviewer, url, today=today)
    supervisor.goto(url)
    supervisor.select_option("#id_team", label="Liaison (Delta Mission)")
    submit(supervisor, "button:has-text('Give access')")

    # The receiving state's liaison records the request in person and the written acceptance.
    receiving.goto(url)
    assert "Record the protection request." in step(receiving, "protection_requested").inner_text()
    receiving.click("#step-protection_requested a:has-text('Record it')")
    receiving.fill("#id_receiving_state", "KR")
    receiving.fill("#id_requested_on", today.isoformat())
    receiving.check("#id_made_in_person")
    submit(receiving, "main form button[type=submit]")
    submit(receiving, "#step-protection_requested button[type=submit]")
    consent_to_share(interviewer, url, today=today)  # the consent lapsed with the change of stage
    assert "Record the receiving state's acceptance." in step(receiving, "accepted").inner_text()
    receiving.click("#step-accepted a:has-text('Record it')")
    receiving.fill("#id_receiving_state", "KR")
    receiving.fill("#id_decided_on", today.isoformat())
    receiving.check("#id_is_written")
    receiving.fill("#id_document_reference", "ACC-2025-001")
    receiving.select_option("#id_legal_basis", "release_and_application")
    submit(receiving, "main form button[type=submit]")
    submit(receiving, "#step-accepted button[type=submit]")
    assert receiving.locator("h1 .stage").inner_text() == "Accepted"

    # The supervisor schedules the transfer.
    supervisor.goto(url)
    assert "Schedule the transfer" in step(supervisor, "transfer_scheduled").inner_text()
    supervisor.click("#step-transfer_scheduled a:has-text('Record it')")
    supervisor.fill("#id_from_place", "Camp 1")
    supervisor.fill("#id_to_state", "KR")
    supervisor.select_option("#id_legal_basis", "release_and_application")
    supervisor.fill("#id_scheduled_for", today.isoformat())
    supervisor.fill("#id_escort", "Two escorts")
    supervisor.fill("#id_neutral_witness", "ICRC delegate")
    supervisor.check("#id_protecting_body_notified")
    supervisor.check("#id_valuables_inventory_ready")
    submit(supervisor, "main form button[type=submit]")
    submit(supervisor, "#step-transfer_scheduled button[type=submit]")
    assert "Take the private handover reconfirmation today" in step(supervisor, "transferred").inner_text()

    # At the handover point the interviewer takes the private reconfirmation; the supervisor hands over.
    interviewer.goto(url)
    interviewer.click("text=Record an interview or a statement")
    interview(interviewer, kind="handover_reconfirmation", today=today)
    supervisor.goto(url)
    assert "Ready" in step(supervisor, "transferred").inner_text()
    submit(supervisor, "#step-transferred button[type=submit]")
    assert supervisor.locator("h1 .stage").inner_text() == "Transferred"
    assert Case.objects.get(pk=case.pk).stage == Stage.TRANSFERRED

    # The transfer is a notification to forward (GC III Art. 122); htmx marks it in place.
    supervisor.click("nav >> text=Notifications")
    row = supervisor.locator(".notification", has_text="Transfer to another state")
    row.locator("button").click()
    supervisor.locator(".notification.done", has_text="Transfer to another state").wait_for()

    _screens(supervisor, live_server.url, case.reference)


def _screens(page: Any, base_url: str, reference: str) -> None:
    """The lifecycle pages fit a 360-pixel screen; screenshots of the case page when asked for."""
    keep = os.environ.get("PASSAGE_SCREENSHOT_DIR", "")
    for width in (360, 1200):
        page.set_viewport_size({"width": width, "height": 900})
        for path in ("lifecycle/", "transitions/", "interviews/new/", "art-122/", "transfers/new/", ""):
            page.goto(f"{base_url}/cases/{reference}/{path}")
            if width == 360:
                scroll = page.evaluate("document.documentElement.scrollWidth")
                assert scroll <= 360, (path, scroll)
        if keep:
            page.screenshot(path=str(Path(keep) / f"case-{width}.png"), full_page=True)
            page.locator("#lifecycle").screenshot(path=str(Path(keep) / f"case-lifecycle-{width}.png"))
    page.set_viewport_size({"width": 360, "height": 900})
    page.goto(f"{base_url}/notifications/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
