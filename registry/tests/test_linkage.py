"""`passage link run`: batch deduplication of the whole registry on DuckDB."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from audit.models import AuditEvent
from conftest import World, verified_client
from registry.duplicates import duplicate_mark_distinct
from registry.linkage import link_run
from registry.models import Case, DuplicateCandidate, LinkRun
from registry.services import case_create

PEOPLE = [
    ("Kang", "Myong Hui", "강", "명희", "1990-02-03"),
    ("Gang", "Myeong-hui", "", "", "1990"),  # the same person, another spelling
    ("Pak", "Chol Jin", "박", "철진", "1985"),
    ("Choe", "Son Hui", "최", "선희", "2001-07"),
    ("Choi", "Seon-hui", "", "", "2001-07-15"),  # the same person
    ("Jon", "Yong Nam", "전", "영남", "1979"),
    ("Jeong", "Yong Nam", "정", "영남", "1979"),  # a different family (정, not 전)
]


def _register_without_detection(world: World) -> list[Case]:
    cases = [
        case_create(
            actor=world.user("supervisor_a"),
            organisation=world.org_a,
            person={
                "family_name": family,
                "given_name": given,
                "family_name_hangul": family_hangul,
                "given_name_hangul": given_hangul,
                "date_of_birth": born,
            },
        )
        for family, given, family_hangul, given_hangul, born in PEOPLE
    ]
    DuplicateCandidate.objects.all().delete()  # as if registered before detection existed
    return cases


def _pairs() -> set[tuple[int, int]]:
    return set(DuplicateCandidate.objects.values_list("person_a", "person_b"))


def _expected(cases: list[Case], *indexes: tuple[int, int]) -> set[tuple[int, int]]:
    return {tuple(sorted((cases[a].person_id, cases[b].person_id))) for a, b in indexes}


@pytest.mark.django_db
def test_a_run_records_the_duplicates_and_only_them(world: World) -> None:
    cases = _register_without_detection(world)
    stages: list[str] = []
    summary = link_run(progress=lambda stage, done, total: stages.append(stage))
    assert _pairs() == _expected(cases, (0, 1), (3, 4))
    assert set(DuplicateCandidate.objects.values_list("source", flat=True)) == {DuplicateCandidate.Source.LINK_RUN}
    assert (summary.persons, summary.pairs_found, summary.pairs_new) == (len(PEOPLE) + 2, 2, 2)
    assert {"read", "block", "compare", "estimate", "predict", "score"} <= set(stages)
    run = LinkRun.objects.get(pk=summary.run_id)
    assert (run.status, run.persons, run.pairs_new) == (LinkRun.Status.DONE, len(PEOPLE) + 2, 2)
    event = AuditEvent.objects.get(action="link.run")
    assert event.purpose == f"{len(PEOPLE) + 2} persons, 2 possible duplicates, 2 new"


@pytest.mark.django_db
def test_a_second_run_adds_nothing_and_leaves_decisions_alone(world: World) -> None:
    cases = _register_without_detection(world)
    link_run()
    pair = DuplicateCandidate.objects.get(person_a=min(cases[0].person_id, cases[1].person_id))
    duplicate_mark_distinct(actor=world.user("supervisor_a"), candidate=pair)
    summary = link_run()
    assert (summary.pairs_found, summary.pairs_new) == (2, 0)
    pair.refresh_from_db()
    assert pair.status == DuplicateCandidate.Status.DISTINCT


@pytest.mark.django_db
def test_the_command_prints_a_summary_and_the_review_page_shows_the_run(world: World) -> None:
    _register_without_detection(world)
    out = StringIO()
    call_command("link", "run", "--no-progress", stdout=out)
    assert "2 possible duplicates, 2 new" in out.getvalue()
    page = verified_client(world.user("supervisor_a")).get(reverse("registry:duplicate_list")).content.decode()
    assert 'id="link-run"' in page and "2 new" in page


@pytest.mark.django_db
def test_an_empty_registry_runs_cleanly(db: None) -> None:
    summary = link_run()
    assert (summary.persons, summary.engine_pairs, summary.pairs_new) == (0, 0, 0)
