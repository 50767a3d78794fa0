"""Consent pages: the list on the case, recording through the form, revocation after confirmation,
and the denials (403 for a viewer whose role may not, 404 for everyone else)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from conftest import World, verified_client
from consent.models import Consent


def form(**extra: str) -> dict[str, str]:
    return {
        "purpose": "image",
        "scope": "One photograph for the documentary, face hidden.",
        "taken_by": "Committee officer",
        "given_on": timezone.localdate().isoformat(),
        "language": "Korean",
        **extra,
    }


@pytest.mark.django_db
def test_the_case_page_links_to_consents_and_family(world: World) -> None:
    html = verified_client(world.user("caseworker_a")).get(f"/cases/{world.case_a.reference}/").content.decode()
    assert f"/cases/{world.case_a.reference}/consents/" in html
    assert f"/cases/{world.case_a.reference}/family/" in html
    assert "Consents, releases, family and tracing" in html


@pytest.mark.django_db
def test_a_consent_is_recorded_listed_and_revoked_on_the_pages(world: World) -> None:
    page = verified_client(world.user("protection"))
    base = f"/cases/{world.case_a.reference}/consents/"
    response = page.post(base, form())
    assert response.status_code == 302, response.content.decode()
    consent = Consent.objects.get()
    html = page.get(base).content.decode()
    assert "Image (photo or video)" in html and "Live" in html and "face hidden" in html
    assert f"{base}{consent.pk}/revoke/" in html
    confirm = page.get(f"{base}{consent.pk}/revoke/")
    assert confirm.status_code == 200 and "Revoke the consent" in confirm.content.decode()
    unconfirmed = page.post(f"{base}{consent.pk}/revoke/", {"revocation_channel": "in_person"})
    assert unconfirmed.status_code == 400
    assert Consent.objects.get().revoked_at is None
    done = page.post(f"{base}{consent.pk}/revoke/", {"revocation_channel": "in_person", "confirm": "on"})
    assert done.status_code == 302
    assert Consent.objects.get().revoked_at is not None
    assert "Revoked on" in page.get(base).content.decode()


@pytest.mark.django_db
def test_the_form_shows_errors_by_field(world: World) -> None:
    page = verified_client(world.user("caseworker_a"))
    response = page.post(f"/cases/{world.case_a.reference}/consents/", form(scope="", expires_on="2000-01-01"))
    assert response.status_code == 400
    assert response.context["form"].errors.keys() >= {"scope", "expires_on"}


@pytest.mark.django_db
def test_viewers_who_may_not_record_see_no_form_and_get_403_on_post(world: World) -> None:
    page = verified_client(world.user("detaining_a"))
    base = f"/cases/{world.case_a.reference}/consents/"
    response = page.get(base)
    assert response.status_code == 200 and "Record a consent" not in response.content.decode()
    assert page.post(base, form()).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["caseworker_b", "media_a", "caseworker_a_other_team"])
def test_others_get_404(world: World, who: str) -> None:
    page = verified_client(world.user(who))
    assert page.get(f"/cases/{world.case_a.reference}/consents/").status_code == 404
    assert page.post(f"/cases/{world.case_a.reference}/consents/", form()).status_code == 404
