"""A supervisor registers someone already on file under another spelling, is warned, compares the
two persons side by side and merges them; the duplicate and tracing pages fit a 360-pixel screen."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from conftest import World
from registry.models import Case, DuplicateCandidate
from tests.test_browser import browser_type_launch_args, log_in  # noqa: F401  (the fixture is used by pytest)

pytestmark = [pytest.mark.browser]


@pytest.fixture
def enrolled_supervisor(world: World) -> tuple[str, str]:
    user = world.user("supervisor_a")
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return user.email, secret


@pytest.mark.django_db(transaction=True)
def test_register_a_known_person_again_compare_and_merge(
    live_server: Any, page: Any, world: World, enrolled_supervisor: tuple[str, str]
) -> None:
    email, secret = enrolled_supervisor
    log_in(page, live_server.url, email, secret)
    page.goto(f"{live_server.url}/cases/new/")
    page.select_option("#id_organisation", str(world.org_a.pk))
    page.fill("#id_family_name", "Rhee")
    page.fill("#id_given_name", "Chul-soo")
    page.fill("#id_date_of_birth", "1999-04-17")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/cases/PSG-*/")
    assert page.locator("text=This person may already be registered").is_visible()
    new_reference = page.url.rstrip("/").rsplit("/", 1)[-1]

    page.click(f"#possible-duplicates a:has-text('{world.case_a.reference}')")
    page.wait_for_url("**/duplicates/*/")
    comparison = page.locator("#comparison")
    assert comparison.locator("tr.agree", has_text="date of birth").count() == 1  # 1999-04 / 1999-04-17
    assert comparison.locator("tr", has_text="Hamhung").count() == 1
    page.click(f"button:has-text('Same person: keep {world.case_a.reference}')")
    page.wait_for_url(f"**/cases/{world.case_a.reference}/")
    assert page.locator(f"text=The two cases were merged into {world.case_a.reference}.").is_visible()
    assert page.locator("dd", has_text="Rhee Chul-soo").is_visible()  # now an alias

    page.goto(f"{live_server.url}/cases/{new_reference}/")
    assert page.locator(f"a:has-text('Open case {world.case_a.reference}')").is_visible()
    assert Case.objects.get(reference=new_reference).merged_into_id == world.case_a.pk
    assert DuplicateCandidate.objects.get().status == DuplicateCandidate.Status.MERGED


@pytest.mark.django_db(transaction=True)
def test_the_duplicate_and_tracing_pages_fit_a_360_pixel_screen(
    live_server: Any, browser: Any, world: World, enrolled_supervisor: tuple[str, str]
) -> None:
    from registry.services import case_create

    case_create(
        actor=world.user("supervisor_a"),
        organisation=world.org_a,
        person={"family_name": "Lee", "given_name": "Cheol-su", "date_of_birth": "1999"},
    )
    pair = DuplicateCandidate.objects.get()
    email, secret = enrolled_supervisor
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    log_in(page, live_server.url, email, secret)
    for path in (
        "/duplicates/",
        f"/duplicates/{pair.pk}/",
        f"/cases/{world.case_a.reference}/",
        f"/cases/{world.case_a.reference}/consents/",
        f"/cases/{world.case_a.reference}/family/",
    ):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, (path, width)
    context.close()
