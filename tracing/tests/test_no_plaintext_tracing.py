"""Release test for consents, family members and tracing: no protected text reaches the database, the
logs or the cache in plaintext (SECURITY_NOTES, test 2), as tests/test_no_plaintext.py checks for the
registry. Every create, edit, search and review flow of consent/ and tracing/ is run on the pages and
through the API with made-up texts; then the stored database (raw SQLite files or a pg_dump), every log
record and the cache are searched for each text in every encoding. Positive control: the texts come back
through the ORM."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import timezone

from conftest import World, verified_client
from consent.models import Consent
from tests.test_no_plaintext import (
    LogRecorder,
    assert_absent,
    cache_bytes,
    database_bytes,
    locate_in_tables,
    log_recorder,  # noqa: F401 - the fixture
    needles_for,
)
from tracing.models import FamilyMember, TracingMatch, TracingRequest
from tracing.tests.helpers import SOUGHT

SECRETS = {
    "recipient": "Recipient Vorquelstad desk",
    "scope": "Scope Plimbrovask photographs",
    "consent_notes": "Consent Quarnbelix remark",
    "taken_by": "Officer Dwelmisto Krant",
    "interpreter": "Interpreter Yoskavelt Brin",
    "witness": "Witness Ostrombelk Vaye",
    "api_recipient": "Recipient Gnolvatrix bureau",
    "relative_name": "Mother Zwerbeloxa",
    "relative_hangul": "쀍뛣뷁 어머니",
    "location": "Village Krondavelsk lane",
    "family_notes": "Family Trobnaquist remark",
    "api_relative": "Brother Vilmoquast",
    "api_location": "Town Heskvorbantz square",
    "sought_family": "Qwerbalt",
    "sought_given": "Yondrevisk",
    "sought_hangul": "뙑꽯",
    "sought_place": "Village Brelmozhavka",
    "enquirer": "Enquirer Flombrixel",
    "contact": "Contact Strevoldamsk 12",
    "api_sought": "Gravolquent",
    "api_enquirer": "Enquirer Plauderwosk",
    "review_note": "Review Smorvelkand agreed",
}
NEEDLES = needles_for({"tracing": list(SECRETS.values())})


@pytest.mark.django_db(transaction=True)  # committed rows: pg_dump reads through its own connection
def test_no_consent_family_or_tracing_text_reaches_the_database_the_logs_or_the_cache(
    log_recorder: LogRecorder,  # noqa: F811 - the fixture
    world: World,
) -> None:
    assert settings.PASSAGE_VAULT_CIPHER == "aes-256-gcm", "the release test needs the real cipher"
    today = timezone.localdate().isoformat()
    reference = world.case_a.reference
    page = verified_client(world.user("protection"))
    api = verified_client(world.user("protection"))
    caseworker = verified_client(world.user("caseworker_a"))

    consent_form = {
        "purpose": "tracing",
        "recipient": SECRETS["recipient"],
        "scope": SECRETS["scope"],
        "notes": SECRETS["consent_notes"],
        "taken_by": SECRETS["taken_by"],
        "interpreter": SECRETS["interpreter"],
        "witness": SECRETS["witness"],
        "given_on": today,
    }
    assert page.post(f"/cases/{reference}/consents/", consent_form).status_code == 302
    created = api.post(
        f"/api/v1/cases/{reference}/consents/",
        {**consent_form, "purpose": "image", "recipient": SECRETS["api_recipient"]},
        content_type="application/json",
    )
    assert created.status_code == 201
    revoked = api.post(
        f"/api/v1/cases/{reference}/consents/{created.json()['id']}/revoke/",
        {"revocation_channel": "letter"},
        content_type="application/json",
    )
    assert revoked.status_code == 200
    assert page.get(f"/cases/{reference}/consents/").status_code == 200

    family = {
        "relation": "mother",
        "name": SECRETS["relative_name"],
        "is_alive": "yes",
        "reprisal_risk": "high",
        "location": SECRETS["location"],
        "notes": SECRETS["family_notes"],
    }
    assert page.post(f"/cases/{reference}/family/new/", family).status_code == 302
    member = FamilyMember.objects.get()
    edited = {**family, "name": SECRETS["relative_hangul"]}
    assert page.post(f"/cases/{reference}/family/{member.pk}/edit/", edited).status_code == 302
    assert page.post(f"/cases/{reference}/family/{member.pk}/edit/", family).status_code == 302
    added = api.post(
        f"/api/v1/cases/{reference}/family-members/",
        {"relation": "brother", "name": SECRETS["api_relative"], "location": SECRETS["api_location"]},
        content_type="application/json",
    )
    assert added.status_code == 201
    assert page.get(f"/cases/{reference}/family/").status_code == 200

    seeking = {
        **SOUGHT,
        "organisation": str(world.org_a.pk),
        "direction": "relative_seeks_person",
        "sought_family_name": SECRETS["sought_family"],
        "sought_given_name": SECRETS["sought_given"],
        "sought_given_name_hangul": SECRETS["sought_hangul"],
        "sought_place_of_origin": SECRETS["sought_place"],
        "enquirer_name": SECRETS["enquirer"],
        "enquirer_contact": SECRETS["contact"],
    }
    assert caseworker.post("/tracing/new/", seeking).status_code == 302
    unknown = TracingRequest.objects.get()
    assert caseworker.post(f"/tracing/{unknown.pk}/search/").status_code == 302
    by_api = caseworker.post(
        "/api/v1/tracing/requests/",
        {**SOUGHT, "direction": "relative_seeks_person", "enquirer_name": SECRETS["api_enquirer"]},
        content_type="application/json",
    )
    assert by_api.status_code == 201
    request_id = by_api.json()["id"]
    searched = caseworker.post(f"/api/v1/tracing/requests/{request_id}/search/")
    [match] = searched.json()["matches"]
    assert caseworker.get(f"/tracing/{request_id}/").status_code == 200
    assert caseworker.get("/tracing/").status_code == 200
    confirmed = caseworker.post(
        f"/tracing/{request_id}/matches/{match['id']}/confirm/", {f"m{match['id']}-note": SECRETS["review_note"]}
    )
    assert confirmed.status_code == 302
    named = caseworker.post(
        "/api/v1/tracing/requests/",
        {
            "direction": "relative_seeks_person",
            "relation": "son",
            "sought_family_name": "Ri",
            "sought_given_name": SECRETS["api_sought"],
        },
        content_type="application/json",
    )
    assert named.status_code == 201
    assert caseworker.get("/api/v1/tracing/requests/").status_code == 200

    # Positive controls: the texts are stored and come back through the ORM.
    consent = Consent.objects.select_related("person__data_key").get(purpose="tracing")
    assert (consent.recipient, consent.witness) == (SECRETS["recipient"], SECRETS["witness"])
    assert FamilyMember.objects.select_related("person__data_key").get(pk=member.pk).location == SECRETS["location"]
    assert TracingRequest.objects.select_related("data_key").get(pk=unknown.pk).enquirer_contact == SECRETS["contact"]
    assert TracingMatch.objects.select_related("request__data_key").get().review_note == SECRETS["review_note"]

    for where, stored in database_bytes().items():
        assert_absent(where, stored, NEEDLES, locate=locate_in_tables)
    assert_absent("the log records", log_recorder.text(), NEEDLES)
    for where, stored in cache_bytes().items():
        assert_absent(where, stored, NEEDLES)
