"""`passage import persons FILE --organisation SLUG [--as-user EMAIL]`: all rows or nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from accounts.models import Membership, Organisation, Role, User
from audit.models import AuditEvent
from conftest import World, case_named, person_named
from registry.models import Alias, Case, Person

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "persons.csv"
HEADER = (
    "reference,family_name,given_name,family_name_hangul,given_name_hangul,aliases,sex,"
    "date_of_birth,place_of_origin,unit,rank,languages"
)


def write_csv(path: Path, *lines: str) -> Path:
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    return path


def counts() -> tuple[int, int, int, int]:
    return Case.objects.count(), Person.objects.count(), Alias.objects.count(), AuditEvent.objects.count()


def run(path: Path, organisation: str = "alpha-bureau", **options) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", "persons", str(path), organisation=organisation, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def run_failing(path: Path, organisation: str = "alpha-bureau", **options) -> tuple[str, str]:
    """Run the command expecting it to fail; return (the CommandError message, stderr)."""
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(
            "import",
            "persons",
            str(path),
            organisation=organisation,
            stdout=io.StringIO(),
            stderr=err,
            **options,
        )
    return str(caught.value), err.getvalue()


@pytest.mark.django_db
def test_a_good_file_is_imported_and_the_count_is_printed(world: World, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "persons.csv", "family_name,given_name,aliases", "Kim,Min Jun,Minjun;Kim M.", "Ko,Hyon Mi,"
    )
    before = Case.objects.count()
    out, err = run(path)
    assert out.strip() == "Imported 2 persons into alpha-bureau."
    assert err == ""
    assert Case.objects.count() == before + 2
    assert case_named("Min Jun").organisation == world.org_a


@pytest.mark.django_db
def test_the_example_file_imports_cleanly(world: World) -> None:
    before = Case.objects.count()
    out, _err = run(EXAMPLE)
    imported = Case.objects.count() - before
    assert imported >= 10
    assert out.strip() == f"Imported {imported} persons into alpha-bureau."


@pytest.mark.django_db
def test_an_xlsx_workbook_is_imported(world: World, tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["family_name", "given_name", "family_name_hangul", "given_name_hangul", "date_of_birth"])
    sheet.append(["Kim", "Min Jun", "김", "민준", "1998-07"])
    path = tmp_path / "persons.xlsx"
    workbook.save(path)
    out, _err = run(path)
    assert out.strip() == "Imported 1 persons into alpha-bureau."
    assert person_named("Min Jun").given_name_hangul == "민준"


@pytest.mark.django_db
def test_imported_cases_are_audited_as_case_create_over_the_cli_for_the_named_user(
    world: World, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "persons.csv", "family_name,given_name", "Kim,Min Jun", "Ko,Hyon Mi")
    before = AuditEvent.objects.count()
    run(path, as_user="CASEWORKER@a.test")
    events = AuditEvent.objects.order_by("pk")[before:]
    assert [(event.action, event.channel, event.actor_label) for event in events] == [
        ("case.create", "cli", "caseworker@a.test")
    ] * 2


@pytest.mark.django_db
def test_each_bad_row_is_printed_with_file_line_and_column_and_nothing_is_written(world: World, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "bad.csv",
        HEADER,
        ",Kim,Min Jun,김,민준,,m,1998,,,,Korean",
        f"{world.case_a.reference},Ko,Hyon Mi,,,,x,1999-13,,,,",
        ",Mun,Kwang Chol,Mun,,,,2999,,,,",
        ",Jo,Song Hui,,,,,1999-02-30,,,,",
    )
    before = counts()
    message, err = run_failing(path)
    assert message == "6 problem(s) found; nothing was imported."
    assert err.splitlines() == [
        f"{path}: line 3, column date_of_birth: The month must be between 01 and 12.",
        f"{path}: line 3, column reference: already used by an existing case",
        f"{path}: line 3, column sex: use male, female, other or unknown",
        f"{path}: line 4, column date_of_birth: The date is in the future.",
        f"{path}: line 4, column family_name_hangul: Use Hangul syllables only.",
        f"{path}: line 5, column date_of_birth: There is no such day in that month.",
    ]
    assert counts() == before


@pytest.mark.django_db
def test_a_bad_row_among_many_good_rows_means_nothing_is_imported(world: World, tmp_path: Path) -> None:
    good = [f"Kim,Min Jun {number},1990" for number in range(30)]
    path = write_csv(tmp_path / "bad.csv", "family_name,given_name,date_of_birth", *good[:17], "Ko,,1990", *good[17:])
    before = counts()
    _message, err = run_failing(path)
    assert err.splitlines() == [f"{path}: line 19, column given_name: This field cannot be blank."]
    assert counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "The file is empty"),
        (b"family_name,given_name\r\n", "The file has a header but no persons."),
        (b"family_name,unit\r\nKim,1\r\n", "Missing required column(s): given_name."),
        (b"family_name,given_name,notes\r\nKim,Min Jun,x\r\n", "Unknown column(s): notes."),
        ("family_name,given_name\r\n김,민준\r\n".encode("cp949"), "The file is not UTF-8 text"),
    ],
    ids=["empty", "header-only", "missing-column", "unknown-column", "cp949"],
)
def test_a_whole_file_problem_is_a_command_error_naming_the_file(
    world: World, tmp_path: Path, content: bytes, problem: str
) -> None:
    path = tmp_path / "persons.csv"
    path.write_bytes(content)
    before = counts()
    message, err = run_failing(path)
    assert message.startswith(f"{path}: {problem}")
    assert err == ""
    assert counts() == before


@pytest.mark.django_db
def test_a_file_that_does_not_exist_is_refused(world: World, tmp_path: Path) -> None:
    message, _err = run_failing(tmp_path / "nowhere.csv")
    assert message.startswith("file: cannot read ")


@pytest.mark.django_db
def test_an_unknown_organisation_is_refused(world: World, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "persons.csv", "family_name,given_name", "Kim,Min Jun")
    before = counts()
    message, _err = run_failing(path, organisation="no-such-org")
    assert message == "--organisation: no organisation with slug 'no-such-org'"
    assert counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize("user", ["media_a", "auditor_a", "admin_a"])
def test_a_named_user_without_import_rights_is_refused_and_nothing_is_written(
    world: World, tmp_path: Path, user: str
) -> None:
    path = write_csv(tmp_path / "persons.csv", "family_name,given_name", "Kim,Min Jun")
    email = world.user(user).email
    before = counts()
    message, _err = run_failing(path, as_user=email)
    assert message == f"--as-user: {email} may not import into alpha-bureau"
    assert counts() == before


@pytest.mark.django_db
def test_a_named_user_of_another_organisation_is_refused(world: World, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "persons.csv", "family_name,given_name", "Kim,Min Jun")
    message, _err = run_failing(path, as_user="supervisor@b.test")
    assert message == "--as-user: no active member of alpha-bureau with e-mail 'supervisor@b.test'"


@pytest.mark.django_db
def test_an_inactive_named_user_is_refused(world: World, tmp_path: Path) -> None:
    User.objects.filter(email="caseworker@a.test").update(is_active=False)
    path = write_csv(tmp_path / "persons.csv", "family_name,given_name", "Kim,Min Jun")
    message, _err = run_failing(path, as_user="caseworker@a.test")
    assert message.startswith("--as-user: no active member of alpha-bureau")


@pytest.mark.django_db
def test_by_default_the_import_is_recorded_for_a_supervisor_of_that_organisation(world: World, tmp_path: Path) -> None:
    # supervisor_a is also an auditor at beta-ngo: a supervisor, and a member of beta-ngo,
    # but not a supervisor *of* beta-ngo.
    Membership.objects.create(user=world.user("supervisor_a"), organisation=world.org_b, role=Role.AUDITOR)
    path = write_csv(tmp_path / "persons.csv", "family_name,given_name", "Kim,Min Jun")
    before = AuditEvent.objects.count()
    run(path, organisation="beta-ngo")
    (event,) = AuditEvent.objects.order_by("pk")[before:]
    assert event.actor_label == "supervisor@b.test"
    assert case_named("Min Jun").organisation == world.org_b


@pytest.mark.django_db
def test_an_organisation_without_a_supervisor_needs_as_user(world: World, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "persons.csv", "family_name,given_name", "Kim,Min Jun")
    message, _err = run_failing(path, organisation="gamma")
    assert message == "--as-user: gamma has no supervisor; name a user with --as-user"


@pytest.mark.django_db
def test_an_organisation_with_no_members_at_all_needs_as_user(world: World, tmp_path: Path) -> None:
    Organisation.objects.create(name="Epsilon", slug="epsilon", kind="ngo")
    path = write_csv(tmp_path / "persons.csv", "family_name,given_name", "Kim,Min Jun")
    message, _err = run_failing(path, organisation="epsilon")
    assert message == "--as-user: epsilon has no supervisor; name a user with --as-user"
