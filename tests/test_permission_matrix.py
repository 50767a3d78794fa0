"""The permission matrix: every page and endpoint, walked from the URL configuration,
checked for anonymous users, the wrong organisation, the wrong team and every role.

A new URL pattern without an entry here fails `test_every_url_pattern_is_in_the_matrix`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from conftest import World, verified_client
from registry.models import CaseAssignment

# Names of patterns that belong to libraries (login, second factor, admin, schema tooling)
# are checked by the anonymous walk only.
LIBRARY_NAMESPACES = ("admin",)
PUBLIC_PATH_PREFIXES = (
    "/accounts/login/",
    "/accounts/password/reset/",
    "/accounts/2fa/authenticate/",
    "/i18n/",
    "/healthz",
    "/static/",
)

VIEWERS = {"supervisor_a", "caseworker_a", "detaining_a", "protection"}
CHANGERS = {"supervisor_a", "caseworker_a", "detaining_a"}
ASSIGNERS = {"supervisor_a"}
ERASERS = {"supervisor_a"}
EVERYONE = [
    "supervisor_a",
    "caseworker_a",
    "detaining_a",
    "media_a",
    "auditor_a",
    "admin_a",
    "caseworker_a_other_team",
    "protection",
    "receiving",
    "supervisor_b",
    "caseworker_b",
    "detaining_b",
    "media_b",
    "auditor_b",
    "admin_b",
]
CREATORS_IN_A = {"supervisor_a", "caseworker_a", "detaining_a", "caseworker_a_other_team"}
CREATORS = CREATORS_IN_A | {"supervisor_b", "caseworker_b", "detaining_b"}

# name -> (method, who may, what a permitted user gets, what anyone else gets)
CASE_ENDPOINTS: dict[str, tuple[str, set[str], int]] = {
    "registry:case_detail": ("get", VIEWERS, 200),
    "registry:case_edit": ("get", CHANGERS, 200),
    "registry:custody_add": ("post", CHANGERS, 400),
    "api_case_detail": ("get", VIEWERS, 200),
    "api_custody_create": ("post", CHANGERS, 400),
    "registry:case_assign": ("post", ASSIGNERS, 302),
    "registry:person_erase": ("get", ERASERS, 200),
    "audit:case_trail": ("get", {"supervisor_a", "auditor_a"}, 200),
    "api_case_teams": ("post", ASSIGNERS, 400),
}
# Endpoints that name a team as well as a case: (method, who may, what a permitted user gets).
CASE_TEAM_ENDPOINTS: dict[str, tuple[str, set[str], int]] = {
    "registry:case_unassign": ("post", ASSIGNERS, 302),
    "api_case_team_delete": ("delete", ASSIGNERS, 204),
}
PAGES_FOR_ANY_MEMBER: dict[str, int] = {
    "home": 200,
    "registry:case_list": 200,
    "api_case_list": 200,
    "api_alert_list": 200,
    "api_schema": 200,
    "api_docs": 200,
}
PAGES_FOR_CREATORS: dict[str, tuple[str, int]] = {
    "registry:case_create": ("get", 200),
    "registry:person_import": ("get", 200),
    "api_case_list:post": ("post", 400),
}
NON_CASE_PAGES = {"healthz", "set_language"}
# A job page belongs to the user who started the import: registry/tests/test_import_jobs.py checks it.
PERSONAL_PAGES = {"registry:import_job"}
AUDITORS = {"auditor_a", "auditor_b"}
# Pages for one role, not about one case: (method, who may, what a permitted user gets).
ROLE_PAGES: dict[str, tuple[str, set[str], int]] = {
    "audit:log": ("get", AUDITORS, 200),
    "audit:verify": ("post", AUDITORS, 302),
}
DETAINING_IN_A = {"supervisor_a", "detaining_a"}
FORWARDERS = DETAINING_IN_A | {"supervisor_b", "detaining_b"}
# The lifecycle API, "name" or "name:method" -> (method, who may, what a permitted user gets for `{}`).
# Those who see the case but whose role may not get 403, anyone else 404; the forwarding queue is not
# about one case and answers 403. protection/tests/test_api_*.py check each endpoint in depth.
LIFECYCLE_API: dict[str, tuple[str, set[str], int]] = {
    "api_case_transitions": ("get", VIEWERS, 200),
    "api_case_transitions:post": ("post", VIEWERS, 400),
    "api_case_interviews": ("get", VIEWERS, 200),
    "api_case_interviews:post": ("post", VIEWERS, 400),
    "api_case_nib_record": ("put", DETAINING_IN_A, 201),
    "api_case_risk_assessments": ("get", VIEWERS, 200),
    "api_case_risk_assessments:post": ("post", DETAINING_IN_A, 400),
    "api_case_protection_requests": ("get", VIEWERS, 200),
    "api_case_protection_requests:post": ("post", {"supervisor_a"}, 400),
    "api_case_acceptances": ("get", VIEWERS, 200),
    "api_case_acceptances:post": ("post", {"supervisor_a"}, 400),
    "api_case_transfers": ("get", VIEWERS, 200),
    "api_case_transfers:post": ("post", DETAINING_IN_A, 400),
    "api_case_proceedings": ("get", VIEWERS, 200),
    "api_case_proceedings:post": ("post", DETAINING_IN_A, 400),
    "api_case_proceedings_close": ("post", DETAINING_IN_A, 400),
    "api_case_extensions": ("get", VIEWERS, 200),
    "api_case_extensions:post": ("post", {"supervisor_a", "caseworker_a"}, 400),
    "api_case_death_record": ("put", DETAINING_IN_A | {"caseworker_a"}, 400),
    "api_case_pathway_progress": ("put", {"supervisor_a", "caseworker_a"}, 201),
    "api_case_events": ("get", VIEWERS, 200),
    "api_case_events:post": ("post", DETAINING_IN_A | {"caseworker_a"}, 400),
    "api_case_event_forwarded": ("post", DETAINING_IN_A, 200),
    "api_case_history": ("get", VIEWERS, 200),
    "api_notifications": ("get", FORWARDERS, 200),
}
# The lifecycle pages, "name" or "name@post" -> (method, who may, what a permitted user gets for `{}`).
# Those who see the case but whose role may not get 403, anyone else 404; the notification queue is not
# about one case and answers 404 to those who forward nothing. protection/tests/test_views.py checks them.
LIFECYCLE_PAGES: dict[str, tuple[str, set[str], int]] = {
    "protection:lifecycle": ("get", VIEWERS, 200),
    "protection:transitions": ("get", VIEWERS, 200),
    "protection:transitions@post": ("post", VIEWERS, 400),
    "protection:interview": ("get", VIEWERS, 200),
    "protection:nib_record": ("get", DETAINING_IN_A, 200),
    "protection:event": ("get", DETAINING_IN_A | {"caseworker_a"}, 200),
    "protection:risk_assessment": ("get", DETAINING_IN_A, 200),
    "protection:protection_request": ("get", {"supervisor_a"}, 200),
    "protection:acceptance": ("get", {"supervisor_a"}, 200),
    "protection:transfer": ("get", DETAINING_IN_A, 200),
    "protection:proceedings": ("get", DETAINING_IN_A, 200),
    "protection:proceedings_close": ("post", DETAINING_IN_A, 400),
    "protection:extension": ("get", {"supervisor_a", "caseworker_a"}, 200),
    "protection:pathway_progress": ("get", {"supervisor_a", "caseworker_a"}, 200),
    "protection:death_record": ("get", DETAINING_IN_A | {"caseworker_a"}, 200),
    "protection:event_forward": ("post", DETAINING_IN_A, 302),
    "protection:notifications": ("get", FORWARDERS, 200),
}


# Consents and family members of a case (consent/, tracing/): "name" or "name@method" -> (method, who may,
# what a permitted user gets for an empty body). Those who see the case but whose role may not get 403,
# anyone else 404. consent/tests and tracing/tests check each in depth.
RECORDS_CONSENT = {"caseworker_a", "protection"}
CONSENT_AND_FAMILY: dict[str, tuple[str, set[str], int]] = {
    "consent:list": ("get", VIEWERS, 200),
    "consent:list@post": ("post", RECORDS_CONSENT, 400),
    "consent:revoke": ("get", RECORDS_CONSENT, 200),
    "consent:revoke@post": ("post", RECORDS_CONSENT, 400),
    "api_case_consents": ("get", VIEWERS, 200),
    "api_case_consents@post": ("post", RECORDS_CONSENT, 400),
    "api_case_consent_revoke": ("post", RECORDS_CONSENT, 400),
    "tracing:family_list": ("get", VIEWERS, 200),
    "tracing:family_add": ("get", RECORDS_CONSENT, 200),
    "tracing:family_edit": ("get", RECORDS_CONSENT, 200),
    "api_case_family_members": ("get", VIEWERS, 200),
    "api_case_family_members@post": ("post", RECORDS_CONSENT, 400),
    "api_case_family_member": ("patch", RECORDS_CONSENT, 200),
}
# Correspondence of a case (correspondence/): "name" or "name@method" -> (method, who may, what a permitted user
# gets for an empty body). Every role that sees the case reads it; the supervisor does not record it (403), anyone
# else gets 404. Each call is made on a fresh requested letter, so that a step that succeeds changes nothing for the
# next. correspondence/tests check each in depth.
RECORDS_CORRESPONDENCE = {"caseworker_a", "detaining_a", "protection"}
CORRESPONDENCE: dict[str, tuple[str, set[str], int]] = {
    "correspondence:list": ("get", VIEWERS, 200),
    "correspondence:create": ("get", RECORDS_CORRESPONDENCE, 200),
    "correspondence:create@post": ("post", RECORDS_CORRESPONDENCE, 400),
    "correspondence:detail": ("get", VIEWERS, 200),
    "correspondence:edit": ("get", RECORDS_CORRESPONDENCE, 200),
    "correspondence:approve": ("post", RECORDS_CORRESPONDENCE, 302),
    "correspondence:refuse": ("post", RECORDS_CORRESPONDENCE, 400),
    "correspondence:sent": ("post", RECORDS_CORRESPONDENCE, 400),
    "correspondence:delivered": ("post", RECORDS_CORRESPONDENCE, 400),
    "correspondence:decline": ("post", RECORDS_CORRESPONDENCE, 400),
    "correspondence:censor": ("post", RECORDS_CORRESPONDENCE, 400),
    "correspondence:translation_add": ("post", RECORDS_CORRESPONDENCE, 400),
    "correspondence:attachment_add": ("post", RECORDS_CORRESPONDENCE, 400),
    "correspondence:attachment_download": ("get", VIEWERS, 200),
    "correspondence:delivery_create": ("get", RECORDS_CORRESPONDENCE, 200),
    "correspondence:delivery_create@post": ("post", RECORDS_CORRESPONDENCE, 400),
    "correspondence:delivery_status": ("post", RECORDS_CORRESPONDENCE, 400),
    "api_case_correspondence": ("get", VIEWERS, 200),
    "api_case_correspondence@post": ("post", RECORDS_CORRESPONDENCE, 400),
    "api_correspondence_item": ("get", VIEWERS, 200),
    "api_correspondence_item@patch": ("patch", RECORDS_CORRESPONDENCE, 200),
    "api_correspondence_approve": ("post", RECORDS_CORRESPONDENCE, 200),
    "api_correspondence_refuse": ("post", RECORDS_CORRESPONDENCE, 400),
    "api_correspondence_sent": ("post", RECORDS_CORRESPONDENCE, 400),
    "api_correspondence_delivered": ("post", RECORDS_CORRESPONDENCE, 400),
    "api_correspondence_decline": ("post", RECORDS_CORRESPONDENCE, 400),
    "api_correspondence_censorship": ("post", RECORDS_CORRESPONDENCE, 400),
    "api_correspondence_translations": ("post", RECORDS_CORRESPONDENCE, 400),
    "api_correspondence_attachments": ("post", RECORDS_CORRESPONDENCE, 400),  # multipart without a file
    "api_correspondence_attachment": ("get", VIEWERS, 200),
    "api_correspondence_deliveries": ("get", VIEWERS, 200),
    "api_correspondence_deliveries@post": ("post", RECORDS_CORRESPONDENCE, 400),
}
# Media requests, releases, takedowns and the disclosure check (consent/), about organisation A's objects:
# a release by caseworker_a and a media request by media_a, both about case_a. Pages answer 404 to anyone
# else; the API 403 to a role with no such work anywhere, 404 to the others.
RELEASE_ACCESS = {"supervisor_a", "caseworker_a", "media_a", "caseworker_a_other_team", "protection"} | {
    "supervisor_b",
    "caseworker_b",
    "media_b",
}
RELEASE_AUTHORS = RELEASE_ACCESS - {"supervisor_a", "supervisor_b"}
CHECKERS = RELEASE_ACCESS | {"receiving"}
RELEASE_IN_A = {"supervisor_a", "caseworker_a", "media_a", "caseworker_a_other_team"}
TEXT_READERS = {"supervisor_a", "caseworker_a"}  # see case_a; the media officer did not write this one
MEDIA_READERS = TEXT_READERS | {"media_a"}  # the media officer wrote the request
# name or name@method -> (method, who may, what they get, who else gets 403 from the API rather than 404)
RELEASES: dict[str, tuple[str, set[str], int, set[str]]] = {
    "consent:disclosure_check": ("get", CHECKERS, 200, set()),
    "consent:media_request_list": ("get", RELEASE_ACCESS, 200, set()),
    "consent:media_request_create": ("get", RELEASE_AUTHORS, 200, set()),
    "consent:media_request_detail": ("get", RELEASE_IN_A, 200, set()),
    "consent:media_request_add_person": ("post", RELEASE_IN_A, 302, set()),
    "consent:media_request_remove_person": ("post", MEDIA_READERS, 302, set()),
    "consent:media_request_submit": ("post", MEDIA_READERS, 302, set()),
    "consent:media_request_review": ("post", RELEASE_IN_A, 302, set()),
    "consent:media_request_close": ("post", RELEASE_IN_A, 302, set()),
    "consent:release_list": ("get", RELEASE_ACCESS, 200, set()),
    "consent:release_create": ("get", RELEASE_AUTHORS, 200, set()),
    "consent:release_detail": ("get", RELEASE_IN_A, 200, set()),
    "consent:release_edit": ("get", TEXT_READERS, 200, set()),
    "consent:release_check": ("post", TEXT_READERS, 302, set()),
    "consent:release_redact": ("post", TEXT_READERS, 302, set()),
    "consent:release_finding_dismiss": ("post", TEXT_READERS, 302, set()),
    "consent:release_submit": ("post", TEXT_READERS, 302, set()),
    "consent:release_review": ("post", RELEASE_IN_A, 302, set()),
    "consent:release_mark_released": ("post", TEXT_READERS, 302, set()),
    "consent:release_cancel": ("post", TEXT_READERS, 302, set()),
    "consent:release_download": ("get", TEXT_READERS, 200, set()),
    "consent:takedown_list": ("get", RELEASE_ACCESS, 200, set()),
    "consent:takedown_update": ("post", TEXT_READERS, 302, set()),
    "api_disclosure_check": ("post", CHECKERS, 400, set()),
    "api_media_requests": ("get", RELEASE_ACCESS, 200, set()),
    "api_media_requests@post": ("post", RELEASE_AUTHORS, 400, {"supervisor_a", "supervisor_b"}),
    "api_media_request": ("get", RELEASE_IN_A, 200, set()),
    "api_media_request_persons": ("post", RELEASE_IN_A, 400, set()),
    "api_media_request_submit": ("post", MEDIA_READERS, 200, set()),
    "api_media_request_review": ("post", RELEASE_IN_A, 400, set()),
    "api_media_request_close": ("post", RELEASE_IN_A, 400, set()),
    "api_releases": ("get", RELEASE_ACCESS, 200, set()),
    "api_releases@post": ("post", RELEASE_AUTHORS, 400, {"supervisor_a", "supervisor_b"}),
    "api_release": ("get", RELEASE_IN_A, 200, set()),
    "api_release@patch": ("patch", RELEASE_IN_A, 400, set()),
    "api_release_redact": ("post", TEXT_READERS, 200, set()),
    "api_release_finding_dismiss": ("post", RELEASE_IN_A, 400, set()),
    "api_release_review": ("post", RELEASE_IN_A, 400, set()),
    "api_release_check": ("post", TEXT_READERS, 200, set()),
    "api_release_submit": ("post", TEXT_READERS, 409, set()),
    "api_release_release": ("post", TEXT_READERS, 409, set()),
    "api_release_cancel": ("post", TEXT_READERS, 200, set()),
    "api_takedowns": ("get", RELEASE_ACCESS, 200, set()),
    "api_takedown": ("post", TEXT_READERS, 400, set()),
}
# Tracing requests (not about one case): those who trace nowhere get 404 on pages and 403 from the API;
# tracers of another organisation get 404 for organisation A's request.
TRACERS = {"caseworker_a", "caseworker_a_other_team", "protection", "caseworker_b"}
TRACERS_IN_A = {"caseworker_a", "caseworker_a_other_team"}
TRACING: dict[str, tuple[str, set[str], int]] = {
    "tracing:request_list": ("get", TRACERS, 200),
    "tracing:request_create": ("get", TRACERS, 200),
    "tracing:request_detail": ("get", TRACERS_IN_A, 200),
    "tracing:request_search": ("post", TRACERS_IN_A, 302),
    "tracing:request_close": ("post", TRACERS_IN_A, 302),
    "tracing:match_confirm": ("post", TRACERS_IN_A, 302),
    "tracing:match_reject": ("post", TRACERS_IN_A, 302),
    "api_tracing_requests": ("get", TRACERS, 200),
    "api_tracing_requests@post": ("post", TRACERS, 400),
    "api_tracing_request": ("get", TRACERS_IN_A, 200),
    "api_tracing_request_search": ("post", TRACERS_IN_A, 200),
    "api_tracing_match_confirm": ("post", TRACERS_IN_A, 200),
    "api_tracing_match_reject": ("post", TRACERS_IN_A, 200),
}
# Possible duplicates (not about one case): the lists answer everyone (each sees the pairs whose two cases
# they may see); a pair answers 404 to anyone who may not see both cases, and its decisions to anyone who
# may not change both. registry/tests/test_duplicates.py checks them in depth.
DUPLICATES: dict[str, tuple[str, set[str], int]] = {
    "registry:duplicate_list": ("get", set(EVERYONE), 200),
    "registry:duplicate_detail": ("get", VIEWERS, 200),
    "registry:duplicate_distinct": ("post", CHANGERS, 302),
    "registry:duplicate_merge": ("post", CHANGERS, 302),  # no survivor named: refused with a message
    "api_duplicate_list": ("get", set(EVERYONE), 200),
    "api_duplicate_detail": ("get", VIEWERS, 200),
    "api_duplicate_distinct": ("post", CHANGERS, 200),
    "api_duplicate_merge": ("post", CHANGERS, 400),  # no survivor named
}


def _walk(patterns: list[URLPattern | URLResolver], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        else:
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else (pattern.name or "")
            yield prefix + str(pattern.pattern), name


def _project_patterns() -> list[tuple[str, str]]:
    project = []
    for route, name in _walk(get_resolver().url_patterns):
        if route.startswith(("accounts/", "admin/", "i18n/")) or route.startswith("^static"):
            continue
        project.append((route, name))
    return project


def test_every_url_pattern_is_in_the_matrix() -> None:
    known = (
        set(CASE_ENDPOINTS)
        | set(CASE_TEAM_ENDPOINTS)
        | set(PAGES_FOR_ANY_MEMBER)
        | set(ROLE_PAGES)
        | {n.split(":post")[0] for n in PAGES_FOR_CREATORS}
    )
    known |= NON_CASE_PAGES | PERSONAL_PAGES
    known |= {name.split(":")[0] for name in LIFECYCLE_API}
    known |= {name.split("@")[0] for name in LIFECYCLE_PAGES}
    known |= {name.split("@")[0] for name in (*CONSENT_AND_FAMILY, *TRACING, *DUPLICATES, *CORRESPONDENCE, *RELEASES)}
    missing = [(route, name) for route, name in _project_patterns() if name not in known]
    assert missing == []


def _url(route: str, reference: str, team_id: int = 0) -> str:
    path = "/" + route.replace("<str:reference>", reference).replace("<int:team_id>", str(team_id))
    assert "<" not in path, path
    return path


@pytest.mark.django_db
def test_anonymous_is_sent_to_login_on_every_page_and_gets_401_from_the_api(world: World) -> None:
    client = Client()
    for route, _name in _walk(get_resolver().url_patterns):
        bare = route.replace("<str:reference>", "").replace("<int:team_id>", "")
        if "<" in bare or "(?P" in route or route.startswith("^"):
            continue
        path = _url(route, world.case_a.reference, world.team_protection.pk)
        if path.startswith(PUBLIC_PATH_PREFIXES):
            continue
        response = client.get(path)
        if path.startswith("/api/"):
            assert response.status_code == 401, path
            assert response["Content-Type"] == "application/problem+json", path
        else:
            assert response.status_code == 302, path
            assert response["Location"].startswith("/accounts/login/"), path


@pytest.mark.django_db
@pytest.mark.parametrize("actor", EVERYONE)
def test_case_endpoints_answer_404_to_everyone_without_access(world: World, actor: str) -> None:
    client = verified_client(world.user(actor))
    endpoints = {**CASE_ENDPOINTS, **CASE_TEAM_ENDPOINTS}
    for route, name in _project_patterns():
        if name not in endpoints:
            continue
        method, allowed, ok_status = endpoints[name]
        path = _url(route, world.case_a.reference, world.team_protection.pk)
        CaseAssignment.objects.get_or_create(case=world.case_a, team=world.team_protection)
        response = getattr(client, method)(path, {}) if method == "post" else getattr(client, method)(path)
        expected = ok_status if actor in allowed else 404
        assert response.status_code == expected, (actor, name, response.status_code)
        if expected == 404 and path.startswith("/api/"):
            assert response.json() == {
                "type": "about:blank",
                "title": "Not found",
                "status": 404,
                "detail": "No case found.",
            }


@pytest.mark.django_db
@pytest.mark.parametrize("actor", EVERYONE)
def test_a_case_that_does_not_exist_and_a_forbidden_case_look_the_same(world: World, actor: str) -> None:
    client = verified_client(world.user(actor))
    if actor in VIEWERS:
        return
    forbidden = client.get(f"/api/v1/cases/{world.case_a.reference}/")
    missing = client.get("/api/v1/cases/PSG-0000-0000/")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content
    forbidden_page = client.get(f"/cases/{world.case_a.reference}/")
    missing_page = client.get("/cases/PSG-0000-0000/")
    assert forbidden_page.status_code == missing_page.status_code == 404
    assert len(forbidden_page.content) == len(missing_page.content)


@pytest.mark.django_db
@pytest.mark.parametrize("actor", EVERYONE)
def test_lists_and_search_show_a_case_only_to_those_who_may_see_it(world: World, actor: str) -> None:
    client = verified_client(world.user(actor))
    reference = world.case_a.reference
    visible = actor in VIEWERS
    for path in ("/cases/", "/cases/?q=Ri+Chol", "/cases/?q=철수", f"/cases/?q={reference}", "/"):
        response = client.get(path)
        assert response.status_code == 200
        if path != "/":
            assert (f"/cases/{reference}/" in response.content.decode()) is visible, (actor, path)
    for query in ("", "?q=Chol", "?q=리", f"?q={reference}", "?stage=captured"):
        data = client.get(f"/api/v1/cases/{query}").json()
        references = [row["reference"] for row in data["results"]]
        assert (reference in references) is visible, (actor, query)


@pytest.mark.django_db
@pytest.mark.parametrize("actor", EVERYONE)
def test_pages_for_members_and_creators(world: World, actor: str) -> None:
    client = verified_client(world.user(actor))
    for route, name in _project_patterns():
        if name in ROLE_PAGES:
            method, allowed, ok_status = ROLE_PAGES[name]
            response = getattr(client, method)("/" + route)
            assert response.status_code == (ok_status if actor in allowed else 404), (actor, name)
        if name in PAGES_FOR_ANY_MEMBER:
            assert client.get("/" + route).status_code == PAGES_FOR_ANY_MEMBER[name], (actor, name)
        if name in PAGES_FOR_CREATORS:
            response = client.get("/" + route)
            assert response.status_code == (200 if actor in CREATORS else 404), (actor, name)
    created = client.post(
        "/api/v1/cases/",
        {"organisation": "alpha-bureau", "family_name": "Kim", "given_name": "Su Yong"},
        content_type="application/json",
    )
    may_create_in_a = actor in CREATORS_IN_A
    assert created.status_code == (201 if may_create_in_a else 404), (actor, created.content)


@pytest.mark.django_db
@pytest.mark.parametrize("actor", EVERYONE)
def test_only_changers_can_patch_through_the_api(world: World, actor: str) -> None:
    client = verified_client(world.user(actor))
    response = client.patch(
        f"/api/v1/cases/{world.case_a.reference}/",
        {"rank": "Lieutenant", "version": 1},
        content_type="application/json",
    )
    assert response.status_code == (200 if actor in CHANGERS else 404), actor


@pytest.mark.django_db
@pytest.mark.parametrize("actor", EVERYONE)
def test_the_lifecycle_api_answers_by_role_and_organisation(world: World, actor: str) -> None:
    import datetime as dt

    from protection import services

    supervisor, day = world.user("supervisor_a"), dt.date(2025, 1, 10)
    proceedings = services.proceedings_record(
        actor=supervisor, case=world.case_a, values={"opened_on": day, "description": "On file."}
    )
    event = services.event_record(
        actor=supervisor, case=world.case_a, values={"kind": "hospital_admission", "occurred_on": day}
    )
    ids = {
        "<str:reference>": world.case_a.reference,
        "<int:proceedings_id>": str(proceedings.pk),
        "<int:event_id>": str(event.pk),
    }
    client = verified_client(world.user(actor))
    for route, name in _project_patterns():
        for key, (method, allowed, ok_status) in LIFECYCLE_API.items():
            if key.split(":")[0] != name:
                continue
            path = "/" + route
            for placeholder, value in ids.items():
                path = path.replace(placeholder, value)
            if method == "get":
                response = client.get(path)
            else:
                response = getattr(client, method)(path, {}, content_type="application/json")
            refused = 403 if name == "api_notifications" or actor in VIEWERS else 404
            expected = ok_status if actor in allowed else refused
            assert response.status_code == expected, (actor, key, response.status_code)
            if expected == 404:
                assert response.json()["detail"] == "No case found.", (actor, key)


@pytest.mark.django_db
@pytest.mark.parametrize("actor", EVERYONE)
def test_the_lifecycle_pages_answer_by_role_and_organisation(world: World, actor: str) -> None:
    import datetime as dt

    from protection import services

    supervisor, day = world.user("supervisor_a"), dt.date(2025, 1, 10)
    proceedings = services.proceedings_record(
        actor=supervisor, case=world.case_a, values={"opened_on": day, "description": "On file."}
    )
    event = services.event_record(
        actor=supervisor, case=world.case_a, values={"kind": "hospital_admission", "occurred_on": day}
    )
    ids = {
        "<str:reference>": world.case_a.reference,
        "<int:proceedings_id>": str(proceedings.pk),
        "<int:event_id>": str(event.pk),
    }
    client = verified_client(world.user(actor))
    for route, name in _project_patterns():
        for key, (method, allowed, ok_status) in LIFECYCLE_PAGES.items():
            if key.split("@")[0] != name:
                continue
            path = "/" + route
            for placeholder, value in ids.items():
                path = path.replace(placeholder, value)
            response = client.post(path, {}) if method == "post" else client.get(path)
            refused = 404 if name == "protection:notifications" or actor not in VIEWERS else 403
            expected = ok_status if actor in allowed else refused
            assert response.status_code == expected, (actor, key, response.status_code)


def _call(client: Client, method: str, path: str) -> int:
    if path.startswith("/api/"):
        if method == "get":
            return int(client.get(path).status_code)
        return int(getattr(client, method)(path, {}, content_type="application/json").status_code)
    return int(client.post(path, {}).status_code if method == "post" else client.get(path).status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("actor", EVERYONE)
def test_consents_and_family_members_answer_by_role_and_organisation(world: World, actor: str) -> None:
    import datetime as dt

    from consent.services import consent_record
    from tracing.services import family_member_add

    protection = world.user("protection")
    # Empty bodies change nothing (a revocation needs its channel), so one consent and one relative serve.
    consent = consent_record(
        actor=protection,
        case=world.case_a,
        purpose="tracing",
        scope="For tracing.",
        taken_by="Officer",
        given_on=dt.date(2025, 1, 10),
    )
    member = family_member_add(actor=protection, case=world.case_a, values={"relation": "father", "name": "A father"})
    client = verified_client(world.user(actor))
    for route, name in _project_patterns():
        for key, (method, allowed, ok_status) in CONSENT_AND_FAMILY.items():
            if key.split("@")[0] != name:
                continue
            path = "/" + route
            for placeholder, value in {
                "<str:reference>": world.case_a.reference,
                "<int:consent_id>": str(consent.pk),
                "<int:member_id>": str(member.pk),
            }.items():
                path = path.replace(placeholder, value)
            refused = 403 if actor in VIEWERS else 404
            expected = ok_status if actor in allowed else refused
            assert _call(client, method, path) == expected, (actor, key)


@pytest.mark.django_db
@pytest.mark.parametrize("actor", EVERYONE)
def test_tracing_answers_by_role_and_organisation(world: World, actor: str) -> None:
    import datetime as dt

    from consent.services import consent_record
    from tracing.models import TracingMatch
    from tracing.services import tracing_request_create

    consent_record(
        actor=world.user("protection"),
        case=world.case_a,
        purpose="tracing",
        scope="For tracing.",
        taken_by="Officer",
        given_on=dt.date(2025, 1, 10),
    )
    client = verified_client(world.user(actor))
    for route, name in _project_patterns():
        for key, (method, allowed, ok_status) in TRACING.items():
            if key.split("@")[0] != name:
                continue
            tracing_request = tracing_request_create(  # a fresh one each time, with one proposed match
                actor=world.user("caseworker_a"),
                organisation=world.org_a,
                direction="relative_seeks_person",
                values={"sought_family_name": "Ri", "sought_given_name": "Chol Su", "relation": "son"},
            )
            match = TracingMatch.objects.create(
                request=tracing_request, person=world.case_a.person, score=0.9, name_score=0.9
            )
            path = "/" + route
            for placeholder, value in {
                "<int:request_id>": str(tracing_request.pk),
                "<int:match_id>": str(match.pk),
            }.items():
                path = path.replace(placeholder, value)
            if actor in allowed:
                expected = ok_status
            elif actor in TRACERS:
                expected = 404
            else:
                expected = 403 if path.startswith("/api/") else 404
            assert _call(client, method, path) == expected, (actor, key)


@pytest.mark.django_db
@pytest.mark.parametrize("actor", EVERYONE)
def test_possible_duplicates_answer_by_access_to_both_cases(world: World, actor: str) -> None:
    from registry.models import DuplicateCandidate
    from registry.services import case_create

    client = verified_client(world.user(actor))
    for route, name in _project_patterns():
        if name not in DUPLICATES:
            continue
        method, allowed, ok_status = DUPLICATES[name]
        DuplicateCandidate.objects.all().delete()
        again = case_create(  # a fresh pair each time: case A's person registered again
            actor=world.user("supervisor_a"),
            organisation=world.org_a,
            person={"family_name": "Lee", "given_name": "Cheol-su"},
            teams=[world.team_a, world.team_protection],
        )
        pair = DuplicateCandidate.objects.get(person_a=world.case_a.person, person_b=again.person)
        path = "/" + route.replace("<int:candidate_id>", str(pair.pk))
        assert _call(client, method, path) == (ok_status if actor in allowed else 404), (actor, name)


@pytest.mark.django_db
@pytest.mark.parametrize("actor", EVERYONE)
def test_correspondence_answers_by_role_and_organisation(world: World, actor: str) -> None:
    from correspondence import services
    from correspondence.models import Delivery
    from correspondence.tests.helpers import record, upload

    client = verified_client(world.user(actor))
    item = record(world)  # a requested letter with a file and a pending delivery
    attachment = services.attachment_add(
        actor=world.user("caseworker_a"), case=world.case_a, item=item, upload=upload("image/png")
    )
    delivery = Delivery.objects.create(
        correspondence=item,
        person=world.case_a.person,
        channel=Delivery.Channel.FAMILY,
        recipient="His mother",
        version=Delivery.Version.ORIGINAL,
        text_sent="A letter.",
    )
    for route, name in _project_patterns():
        for key, (method, allowed, ok_status) in CORRESPONDENCE.items():
            if key.split("@")[0] != name:
                continue
            path = "/" + route
            for placeholder, value in {
                "<str:reference>": world.case_a.reference,
                "<int:item_id>": str(item.pk),
                "<int:attachment_id>": str(attachment.pk),
                "<int:delivery_id>": str(delivery.pk),
            }.items():
                path = path.replace(placeholder, value)
            with transaction.atomic():  # each step sees the letter as it was recorded
                if name == "api_correspondence_attachments":
                    status = client.post(path, {}).status_code  # multipart
                else:
                    status = _call(client, method, path)
                transaction.set_rollback(True)
            expected = ok_status if actor in allowed else 403 if actor in VIEWERS else 404
            assert status == expected, (actor, key, status)


@pytest.mark.django_db
@pytest.mark.parametrize("actor", EVERYONE)
def test_media_requests_releases_and_the_check_answer_by_role_and_organisation(world: World, actor: str) -> None:
    import datetime as dt

    from consent.models import Purpose, Release, ReleaseFinding, TakedownRequest
    from consent.services import media, releases
    from consent.tests.helpers import consent

    publication = consent(world, Purpose.PUBLICATION_OF_LETTER, given_on=dt.date(2025, 1, 10))
    client = verified_client(world.user(actor))
    release = releases.release_create(
        actor=world.user("caseworker_a"),
        organisation=world.org_a,
        kind=Release.Kind.LETTER_FORWARDED,
        purpose=Purpose.PUBLICATION_OF_LETTER,
        title="Letter",
        recipient="Morning Courier",
        text="Ri Chol Su wrote to us; call +380 44 123 4567.",
        case_references=[world.case_a.reference],
    )
    finding = ReleaseFinding.objects.filter(release=release).first()
    assert finding is not None
    takedown = TakedownRequest.objects.create(
        release=release, case=world.case_a, consent=publication, due_on=dt.date(2025, 2, 1)
    )
    request = media.media_request_create(
        actor=world.user("media_a"),
        organisation=world.org_a,
        outlet="Outlet",
        purposes=["interview"],
        description="An interview.",
        case_references=[world.case_a.reference],
    )
    for route, name in _project_patterns():
        for key, (method, allowed, ok_status, api_forbidden) in RELEASES.items():
            if key.split("@")[0] != name or key.split("@")[-1] not in (key, method):
                continue
            path = "/" + route
            for placeholder, value in {
                "<str:reference>": world.case_a.reference,
                "<int:finding_id>": str(finding.pk),
            }.items():
                path = path.replace(placeholder, value)
            target = release.pk
            if "media-requests/" in path:
                target = request.pk
            elif "follow-ups/" in path:
                target = takedown.pk
            path = path.replace("<int:pk>", str(target))
            if actor in allowed:
                expected = ok_status
            elif path.startswith("/api/") and (
                actor not in (CHECKERS if "disclosure" in path else RELEASE_ACCESS) or actor in api_forbidden
            ):
                expected = 403
            else:
                expected = 404
            with transaction.atomic():  # each step sees the release and the request as they were made
                status = _call(client, method, path)
                transaction.set_rollback(True)
            assert status == expected, (actor, key)
