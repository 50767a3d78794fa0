"""The import page, /cases/import/: upload, per-row error table, all rows or nothing."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from openpyxl import Workbook

from audit.models import AuditEvent
from conftest import World, case_named, person_named, verified_client
from registry.models import Alias, Case, Person

URL = "/cases/import/"
HEADER = (
    "reference,family_name,given_name,family_name_hangul,given_name_hangul,aliases,sex,"
    "date_of_birth,place_of_origin,unit,rank,languages"
)


def write_csv(path: Path, *lines: str) -> Path:
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    return path


def counts() -> tuple[int, int, int, int]:
    return Case.objects.count(), Person.objects.count(), Alias.objects.count(), AuditEvent.objects.count()


def upload(world: World, path: Path, user: str = "supervisor_a", organisation=None):
    client = verified_client(world.user(user))
    with path.open("rb") as handle:
        return client.post(URL, {"organisation": (organisation or world.org_a).pk, "file": handle})


def error_table(page: str) -> list[tuple[str, ...]]:
    """The rows of the table with id import-errors, as (line, column, reason) texts."""
    match = re.search(r'<table[^>]*id="import-errors"[^>]*>.*?<tbody>(.*?)</tbody>', page, re.S)
    assert match is not None, "no error table on the page"
    rows = re.findall(r"<tr>(.*?)</tr>", match.group(1), re.S)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows]
    return [tuple(html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in row) for row in cells]


@pytest.mark.django_db
@pytest.mark.parametrize("user", ["caseworker_a", "detaining_a", "supervisor_a"])
def test_the_page_shows_the_columns_and_the_upload_form_to_those_who_may_import(world: World, user: str) -> None:
    response = verified_client(world.user(user)).get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert "family_name, given_name, reference" in page
    assert 'enctype="multipart/form-data"' in page
    assert 'id="import-errors"' not in page


@pytest.mark.django_db
@pytest.mark.parametrize("user", ["media_a", "auditor_a", "admin_a", "protection", "receiving"])
def test_users_without_import_rights_get_404_and_cannot_post_either(world: World, tmp_path: Path, user: str) -> None:
    client = verified_client(world.user(user))
    assert client.get(URL).status_code == 404
    path = write_csv(tmp_path / "persons.csv", "family_name,given_name", "Kim,Min Jun")
    before = counts()
    with path.open("rb") as handle:
        response = client.post(URL, {"organisation": world.org_a.pk, "file": handle})
    assert response.status_code == 404
    assert counts() == before


@pytest.mark.django_db
def test_a_good_csv_is_imported_and_leads_to_the_case_list(world: World, tmp_path: Path) -> None:
    path = tmp_path / "persons.csv"
    path.write_bytes(
        b"\xef\xbb\xbf"
        + "family_name,given_name,family_name_hangul,given_name_hangul,aliases,languages\r\n"
        "Kim,Min Jun,김,민준,Kim Min-jun;Minjun,Korean;English\r\n"
        "Ko,Hyon Mi,고,현미,,Korean\r\n".encode()
    )
    before = Case.objects.count()
    response = upload(world, path)
    assert response.status_code == 302
    assert response["Location"] == "/cases/"
    assert Case.objects.count() == before + 2
    person = person_named("Min Jun")
    assert person.languages == ["Korean", "English"]
    assert [alias.name for alias in person.aliases.all()] == ["Kim Min-jun", "Minjun"]
    follow = verified_client(world.user("supervisor_a")).get(response["Location"])
    assert follow.status_code == 200


@pytest.mark.django_db
def test_the_success_message_gives_the_number_imported(world: World, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "persons.csv", "family_name,given_name", "Kim,Min Jun", "Ko,Hyon Mi")
    client = verified_client(world.user("supervisor_a"))
    with path.open("rb") as handle:
        response = client.post(URL, {"organisation": world.org_a.pk, "file": handle}, follow=True)
    assert "Imported 2 persons." in response.content.decode()


@pytest.mark.django_db
def test_a_good_xlsx_is_imported(world: World, tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["family_name", "given_name", "sex", "date_of_birth"])
    sheet.append(["Kim", "Min Jun", "m", "1998-07"])
    path = tmp_path / "persons.xlsx"
    workbook.save(path)
    response = upload(world, path)
    assert response.status_code == 302
    assert person_named("Min Jun").date_of_birth == "1998-07"


@pytest.mark.django_db
def test_imported_cases_are_audited_as_case_create_over_the_web(world: World, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "persons.csv", "family_name,given_name", "Kim,Min Jun")
    before = AuditEvent.objects.count()
    upload(world, path, user="caseworker_a")
    events = [e for e in AuditEvent.objects.order_by("pk")[before:] if e.kind == AuditEvent.Kind.WRITE]
    reference = case_named("Min Jun").reference
    assert [(e.action, e.channel, e.actor_label, e.case_reference) for e in events] == [
        ("case.create", "web", "caseworker@a.test", reference)
    ]


@pytest.mark.django_db
def test_a_bad_file_answers_400_with_a_table_of_line_column_and_reason_and_imports_nothing(
    world: World, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "persons.csv",
        HEADER,
        ",Kim,Min Jun,김,민준,,m,1998,,,,Korean",
        "PSG-IIII-0000,Ko,Hyon Mi,,,,x,,,,,",
        "",
        ",Mun,Kwang Chol,Mun,,,,1999-02-30,,,,",
        f"{world.case_a.reference},Jo,Song Hui,,,,,,,,,",
    )
    before = counts()
    response = upload(world, path)
    page = response.content.decode()
    assert response.status_code == 400
    assert "5 problems found; nothing was imported." in page
    assert error_table(page) == [
        ("3", "reference", "not a valid reference (e.g. PSG-7KQ2-9D4M)"),
        ("3", "sex", "use male, female, other or unknown"),
        ("5", "date_of_birth", "There is no such day in that month."),
        ("5", "family_name_hangul", "Use Hangul syllables only."),
        ("6", "reference", "already used by an existing case"),
    ]
    assert counts() == before


@pytest.mark.django_db
def test_a_single_problem_is_announced_in_the_singular(world: World, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "persons.csv", "family_name,given_name,date_of_birth", "Kim,Min Jun,2999")
    response = upload(world, path)
    page = response.content.decode()
    assert "1 problem found; nothing was imported." in page
    assert error_table(page) == [("2", "date_of_birth", "The date is in the future.")]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("family_name,given_name\r\n김,민준\r\n".encode("cp949"), "The file is not UTF-8 text"),
        (b"family_name,given_name\r\n", "The file has a header but no persons."),
        (b"family_name\r\nKim\r\n", "Missing required column(s): given_name."),
        (b"family_name,given_name,age\r\nKim,Min Jun,30\r\n", "Unknown column(s): age."),
    ],
    ids=["cp949", "header-only", "missing-column", "unknown-column"],
)
def test_a_whole_file_problem_answers_400_with_the_message_and_no_table(
    world: World, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "persons.csv"
    path.write_bytes(content)
    before = counts()
    response = upload(world, path)
    page = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert message in page
    assert 'id="import-errors"' not in page
    assert counts() == before


@pytest.mark.django_db
def test_an_organisation_the_user_cannot_import_into_is_refused(world: World, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "persons.csv", "family_name,given_name", "Kim,Min Jun")
    before = counts()
    response = upload(world, path, organisation=world.org_b)
    assert response.status_code != 302
    assert "Select a valid choice" in response.content.decode()
    assert counts() == before


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused(world: World, tmp_path: Path, settings) -> None:
    settings.PASSAGE_IMPORT_MAX_BYTES = 20
    path = write_csv(tmp_path / "persons.csv", "family_name,given_name", "Kim,Min Jun")
    before = counts()
    response = upload(world, path)
    assert response.status_code != 302
    assert "larger than the import limit" in response.content.decode()
    assert counts() == before
