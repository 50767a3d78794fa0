"""What a person sees and does, in Debian's Chromium driven by Playwright.

Log in with a password and a TOTP code, search a case by its Hangul name, edit it, see the change;
and the same pages at 360 px wide without sideways scrolling.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value

from conftest import PASSWORD, World

# Playwright's synchronous API runs an event loop in this thread; the ORM calls made by the
# test itself (fixtures, assertions) are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [pytest.mark.browser]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not CHROMIUM.exists():
        pytest.fail("Debian's Chromium is missing: `make test` installs it (apt-get install chromium).")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


def totp_now(secret: str) -> str:
    return str(format_hotp_value(hotp_value(secret, int(time.time()) // 30)))


def log_in(page: Any, base_url: str, email: str, secret: str) -> None:
    page.goto(f"{base_url}/cases/")
    assert "/accounts/login/" in page.url
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/accounts/login/'] button[type=submit]")
    page.wait_for_url("**/accounts/2fa/authenticate/**")
    page.fill("input[name=code]", totp_now(secret))
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base_url}/cases/**")


@pytest.fixture
def enrolled_caseworker(world: World) -> tuple[str, str]:
    user = world.user("caseworker_a")
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return user.email, secret


@pytest.mark.django_db(transaction=True)
def test_log_in_with_a_second_factor_search_edit_and_see_the_change(
    live_server: Any, page: Any, world: World, enrolled_caseworker: tuple[str, str]
) -> None:
    email, secret = enrolled_caseworker
    log_in(page, live_server.url, email, secret)
    page.fill("#id_q", "철수")
    # htmx searches as the user types and pushes the search into the address bar when done;
    # clicking before the rows are swapped would click a row about to be replaced.
    page.wait_for_url("**/cases/?q=*")
    page.wait_for_load_state("networkidle")
    result = page.locator(f"a[href='/cases/{world.case_a.reference}/']")
    result.wait_for()
    assert page.locator("#case-rows tbody tr").count() == 1
    result.click()
    page.wait_for_url(f"**/cases/{world.case_a.reference}/")
    assert page.locator("h1").inner_text().startswith(world.case_a.reference)
    page.click("text=Edit")
    page.fill("#id_rank", "Junior Lieutenant")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**/cases/{world.case_a.reference}/")
    assert page.locator("text=Changes saved.").is_visible()
    assert page.locator("dd", has_text="Junior Lieutenant").is_visible()


@pytest.mark.django_db(transaction=True)
def test_the_main_pages_fit_a_360_pixel_screen(
    live_server: Any, browser: Any, world: World, enrolled_caseworker: tuple[str, str]
) -> None:
    email, secret = enrolled_caseworker
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    log_in(page, live_server.url, email, secret)
    for path in (
        "/",
        "/cases/",
        f"/cases/{world.case_a.reference}/",
        f"/cases/{world.case_a.reference}/edit/",
        "/cases/new/",
        "/cases/import/",
    ):
        page.goto(f"{live_server.url}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, (path, width)
    context.close()


@pytest.mark.django_db(transaction=True)
def test_a_user_sees_the_pages_in_korean_after_choosing_it(
    live_server: Any, page: Any, world: World, enrolled_caseworker: tuple[str, str]
) -> None:
    email, secret = enrolled_caseworker
    log_in(page, live_server.url, email, secret)
    page.select_option("#language-select", "ko")
    page.click("form.lang button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "ko"
    assert page.locator("h1").inner_text() == "사례"
