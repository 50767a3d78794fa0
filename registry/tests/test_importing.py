"""Reading, validating and importing person files (CSV UTF-8 or XLSX): all rows or nothing."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

import registry.importing as importing
from audit.models import AuditEvent
from conftest import World, case_named, person_named, persons_named
from passage.errors import NotPermitted
from registry.importing import (
    ImportFileError,
    RowError,
    persons_import,
    read_person_file,
    validate_person_rows,
)
from registry.models import Alias, Case, Person
from registry.services import case_create

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "persons.csv"
HEADER = (
    "reference,family_name,given_name,family_name_hangul,given_name_hangul,aliases,sex,"
    "date_of_birth,place_of_origin,unit,rank,languages"
)
GOOD_ROW = "PSG-7KQ2-9D4M,Ri,Chol Su,리,철수,Lee Cheol-su;Chol,m,1999-04,Hamhung,Unit 40001,Sergeant,Korean;Russian"


def csv_file(*lines: str, bom: bool = False) -> bytes:
    text = "\r\n".join(lines) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def xlsx_file(*rows: list[Any]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rows_of(*lines: str) -> list[tuple[int, dict[str, str]]]:
    return read_person_file(csv_file(*lines), "persons.csv")


def errors_of(*lines: str) -> list[RowError]:
    return validate_person_rows(rows_of(*lines)).errors


def counts() -> tuple[int, int, int, int]:
    return Case.objects.count(), Person.objects.count(), Alias.objects.count(), AuditEvent.objects.count()


def run_import(world: World, data: bytes, filename: str = "persons.csv", **options):
    return persons_import(
        actor=world.user("supervisor_a"), organisation=world.org_a, data=data, filename=filename, **options
    )


# Reading -----------------------------------------------------------------------------------------


def test_a_csv_file_is_read_into_rows_numbered_by_their_line_in_the_file() -> None:
    rows = read_person_file(csv_file("family_name,given_name", "Kim,Min Jun", "Pak,Yong Nam"), "p.csv")
    assert rows == [
        (2, {"family_name": "Kim", "given_name": "Min Jun"}),
        (3, {"family_name": "Pak", "given_name": "Yong Nam"}),
    ]


def test_the_byte_order_mark_excel_writes_does_not_become_part_of_the_first_column_name() -> None:
    data = csv_file("family_name,given_name", "Kim,Min Jun", bom=True)
    assert read_person_file(data, "p.csv") == [(2, {"family_name": "Kim", "given_name": "Min Jun"})]


def test_column_names_are_matched_regardless_of_case_and_surrounding_spaces() -> None:
    rows = read_person_file(csv_file(" Family_Name , GIVEN_NAME", "Kim,Min Jun"), "p.csv")
    assert rows == [(2, {"family_name": "Kim", "given_name": "Min Jun"})]


def test_values_are_stripped_and_missing_trailing_cells_are_empty() -> None:
    rows = read_person_file(csv_file("family_name,given_name,unit", "  Kim , Min Jun "), "p.csv")
    assert rows == [(2, {"family_name": "Kim", "given_name": "Min Jun", "unit": ""})]


def test_blank_lines_are_skipped_but_still_count_for_line_numbers() -> None:
    rows = read_person_file(csv_file("family_name,given_name", "", "Kim,Min Jun", ",", "Pak,Yong Nam"), "p.csv")
    assert [line for line, _row in rows] == [3, 5]


def test_a_quoted_field_over_several_lines_is_numbered_by_its_first_line_and_later_rows_keep_theirs() -> None:
    data = csv_file(
        "family_name,given_name,place_of_origin",
        'Kim,Min Jun,"Hamhung',
        'South Hamgyong"',
        "Pak,Yong Nam,Wonsan",
    )
    rows = read_person_file(data, "p.csv")
    assert rows == [
        (2, {"family_name": "Kim", "given_name": "Min Jun", "place_of_origin": "Hamhung\r\nSouth Hamgyong"}),
        (4, {"family_name": "Pak", "given_name": "Yong Nam", "place_of_origin": "Wonsan"}),
    ]


def test_errors_after_a_multi_line_field_are_reported_on_the_right_lines() -> None:
    errors = errors_of(
        "family_name,given_name,place_of_origin,date_of_birth",
        'Kim,Min Jun,"Hamhung',
        "South",
        'Hamgyong",1999-13',
        "Pak,Yong Nam,Wonsan,2999",
    )
    assert [(error.line, error.column) for error in errors] == [(2, "date_of_birth"), (5, "date_of_birth")]


def test_an_unclosed_quote_is_a_file_error_instead_of_swallowing_the_rows_after_it() -> None:
    data = csv_file(
        "family_name,given_name,languages",
        "Kim,Min Jun,Korean",
        'Pak,Yong Nam,"Korean',
        "Ri,Chol Su,Korean",
        "Jo,Song Hui,Korean",
    )
    with pytest.raises(ImportFileError, match="Line 3 "):
        read_person_file(data, "p.csv")


def test_text_after_a_closing_quote_is_a_file_error_on_its_line() -> None:
    data = csv_file("family_name,given_name", "Kim,Min Jun", 'Pak,"Yong" Nam')
    with pytest.raises(ImportFileError, match="Line 3 "):
        read_person_file(data, "p.csv")


def test_an_xlsx_workbook_is_read_with_the_sheet_row_numbers() -> None:
    data = xlsx_file(
        ["family_name", "given_name", "date_of_birth", None],
        ["Kim", "Min Jun", 1999, None],
        [None, None, None, None],
        ["Pak", "Yong Nam", "1998-07", None],
    )
    rows = read_person_file(data, "persons.xlsx")
    assert rows == [
        (2, {"family_name": "Kim", "given_name": "Min Jun", "date_of_birth": "1999"}),
        (4, {"family_name": "Pak", "given_name": "Yong Nam", "date_of_birth": "1998-07"}),
    ]


def test_a_date_cell_in_a_workbook_is_read_as_a_full_date() -> None:
    data = xlsx_file(["family_name", "given_name", "date_of_birth"], ["Kim", "Min Jun", dt.date(1998, 3, 1)])
    assert read_person_file(data, "p.xlsx")[0][1]["date_of_birth"] == "1998-03-01"


def test_a_workbook_is_recognised_by_its_content_even_with_another_name() -> None:
    data = xlsx_file(["family_name", "given_name"], ["Kim", "Min Jun"])
    assert read_person_file(data, "upload.bin") == [(2, {"family_name": "Kim", "given_name": "Min Jun"})]


@pytest.mark.parametrize(
    "data",
    [b"", b"   \r\n\r\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n"],
    ids=["zero", "blank", "bom", "bom-blank"],
)
def test_an_empty_file_is_refused(data: bytes) -> None:
    with pytest.raises(ImportFileError, match="empty"):
        read_person_file(data, "p.csv")


def test_an_empty_workbook_is_refused() -> None:
    with pytest.raises(ImportFileError, match="empty"):
        read_person_file(xlsx_file(), "p.xlsx")


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (csv_file("family_name,given_name"), "p.csv"),
        (csv_file("family_name,given_name", "", ",,"), "p.csv"),
        (xlsx_file(["family_name", "given_name"]), "p.xlsx"),
    ],
    ids=["csv", "csv-blank-rows", "xlsx"],
)
def test_a_file_with_only_a_header_is_refused(data: bytes, filename: str) -> None:
    with pytest.raises(ImportFileError, match="no persons"):
        read_person_file(data, filename)


@pytest.mark.parametrize(
    ("header", "missing"), [("family_name", "given_name"), ("unit,rank", "family_name, given_name")]
)
def test_a_missing_required_column_is_refused_by_name(header: str, missing: str) -> None:
    with pytest.raises(ImportFileError, match=f"Missing required column\\(s\\): {missing}\\."):
        read_person_file(csv_file(header, "Kim"), "p.csv")


def test_an_unknown_column_is_refused_with_the_list_of_allowed_columns() -> None:
    with pytest.raises(
        ImportFileError,
        match=r"Unknown column\(s\): birthplace\. Allowed: family_name, given_name, reference, ",
    ):
        read_person_file(csv_file("family_name,given_name,birthplace", "Kim,Min Jun,Wonsan"), "p.csv")


def test_a_column_that_appears_twice_is_refused() -> None:
    with pytest.raises(ImportFileError, match=r"appear twice: unit"):
        read_person_file(csv_file("family_name,given_name,unit,Unit", "Kim,Min Jun,1,2"), "p.csv")


@pytest.mark.parametrize("encoding", ["cp949", "euc-kr", "utf-16"])
def test_hangul_saved_in_another_encoding_is_refused_with_advice(encoding: str) -> None:
    data = "family_name,given_name,family_name_hangul\r\nKim,Min Jun,김\r\n".encode(encoding)
    with pytest.raises(ImportFileError, match=r"not UTF-8 text .* Save it as CSV UTF-8"):
        read_person_file(data, "p.csv")


def test_latin_1_text_is_refused_with_the_position_of_the_bad_byte() -> None:
    data = "family_name,given_name\r\nKim,Min Jun\r\nMüller,Jörg\r\n".encode("latin-1")
    with pytest.raises(ImportFileError, match="position 38"):
        read_person_file(data, "p.csv")


def test_a_file_named_xlsx_that_is_not_a_workbook_is_refused() -> None:
    with pytest.raises(ImportFileError, match="not a readable XLSX"):
        read_person_file(csv_file("family_name,given_name", "Kim,Min Jun"), "persons.xlsx")


def test_a_zip_archive_that_is_not_a_workbook_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "family_name,given_name")
    with pytest.raises(ImportFileError, match="not a readable XLSX"):
        read_person_file(buffer.getvalue(), "persons.xlsx")


def test_a_damaged_workbook_is_refused_rather_than_crashing() -> None:
    source = zipfile.ZipFile(io.BytesIO(xlsx_file(["family_name", "given_name"], ["Kim", "Min Jun"])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as damaged:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename.endswith("sheet1.xml"):
                content = content[: len(content) // 2]
            damaged.writestr(item, content)
    with pytest.raises(ImportFileError, match="not a readable XLSX"):
        read_person_file(buffer.getvalue(), "persons.xlsx")


# Validation --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_row_with_every_column_filled_in_correctly_has_no_errors() -> None:
    report = validate_person_rows(rows_of(HEADER, GOOD_ROW))
    assert report.errors == []
    assert report.is_valid
    (row,) = report.rows
    assert (row.line, row.reference) == (2, "PSG-7KQ2-9D4M")
    assert row.person["sex"] == "male"
    assert row.person["languages"] == ["Korean", "Russian"]
    assert [alias.name for alias in row.aliases] == ["Lee Cheol-su", "Chol"]


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["1999", "1999-04", "1999-04-30", "2000-02-29", "1900", ""])
def test_full_and_partial_dates_of_birth_are_accepted(value: str) -> None:
    assert errors_of("family_name,given_name,date_of_birth", f"Kim,Min Jun,{value}") == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("1999-13", "The month must be between 01 and 12."),
        ("1999-00", "The month must be between 01 and 12."),
        ("1999-02-30", "There is no such day in that month."),
        ("2001-02-29", "There is no such day in that month."),
        ("2999", "The date is in the future."),
        ("2999-01-01", "The date is in the future."),
        ("1899", "The year must be 1900 or later."),
        ("31/12/1999", "Use YYYY, YYYY-MM or YYYY-MM-DD."),
        ("99", "Use YYYY, YYYY-MM or YYYY-MM-DD."),
    ],
)
def test_an_impossible_date_of_birth_is_reported_with_its_line_and_reason(value: str, reason: str) -> None:
    errors = errors_of("family_name,given_name,date_of_birth", "Kim,Min Jun,1999", f"Pak,Yong Nam,{value}")
    assert errors == [RowError(3, "date_of_birth", reason)]


@pytest.mark.django_db
@pytest.mark.parametrize("column", ["family_name", "given_name"])
def test_an_empty_required_value_is_reported(column: str) -> None:
    row = {"family_name": "Kim", "given_name": "Min Jun", column: "  "}
    errors = errors_of("family_name,given_name", f"{row['family_name']},{row['given_name']}")
    assert [(error.line, error.column) for error in errors] == [(2, column)]


@pytest.mark.django_db
def test_a_reference_used_twice_in_the_file_is_reported_on_the_later_line() -> None:
    errors = errors_of(
        "reference,family_name,given_name",
        "PSG-7KQ2-9D4M,Kim,Min Jun",
        "PSG-AAAA-BBBB,Pak,Yong Nam",
        "psg-7kq2-9d4m,Ri,Chol Su",
    )
    assert errors == [RowError(4, "reference", "duplicate of line 2")]


@pytest.mark.django_db
def test_a_reference_already_used_by_an_existing_case_is_reported(world: World) -> None:
    errors = errors_of(
        "reference,family_name,given_name",
        "PSG-AAAA-BBBB,Pak,Yong Nam",
        f"{world.case_a.reference},Kim,Min Jun",
    )
    assert errors == [RowError(3, "reference", "already used by an existing case")]


@pytest.mark.django_db
def test_a_reference_of_another_organisations_case_is_also_taken(world: World) -> None:
    errors = errors_of("reference,family_name,given_name", f"{world.case_b.reference.lower()},Kim,Min Jun")
    assert errors == [RowError(2, "reference", "already used by an existing case")]


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["PSG-IIII-0000", "PSG-7KQ2-9D4", "PSG-7KQ2-9D4MX", "7KQ2-9D4M", "PSG 7KQ2 9D4M"])
def test_a_malformed_reference_is_reported(value: str) -> None:
    errors = errors_of("reference,family_name,given_name", f"{value},Kim,Min Jun")
    assert errors == [RowError(2, "reference", "not a valid reference (e.g. PSG-7KQ2-9D4M)")]


@pytest.mark.django_db
def test_a_reference_in_lower_case_is_accepted_in_upper_case() -> None:
    report = validate_person_rows(rows_of("reference,family_name,given_name", " psg-7kq2-9d4m ,Kim,Min Jun"))
    assert report.errors == []
    assert report.rows[0].reference == "PSG-7KQ2-9D4M"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "sex"),
    [
        ("m", "male"),
        ("F", "female"),
        ("Male", "male"),
        ("female", "female"),
        ("other", "other"),
        ("u", "unknown"),
        ("unknown", "unknown"),
        ("", "unknown"),
    ],
)
def test_sex_may_be_written_in_full_or_abbreviated(value: str, sex: str) -> None:
    report = validate_person_rows(rows_of("family_name,given_name,sex", f"Kim,Min Jun,{value}"))
    assert report.errors == []
    assert report.rows[0].person["sex"] == sex


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["x", "man", "1", "o"])
def test_an_unknown_sex_is_reported(value: str) -> None:
    errors = errors_of("family_name,given_name,sex", f"Kim,Min Jun,{value}")
    assert errors == [RowError(2, "sex", "use male, female, other or unknown")]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("family_name_hangul", "Kim"),
        ("given_name_hangul", "철수1"),
        ("given_name_hangul", "ㅊㅓㄹ수"),
        ("family_name_hangul", "金"),
    ],
)
def test_anything_but_hangul_syllables_in_a_hangul_column_is_reported(column: str, value: str) -> None:
    errors = errors_of(f"family_name,given_name,{column}", f"Kim,Min Jun,{value}")
    assert errors == [RowError(2, column, "Use Hangul syllables only.")]


@pytest.mark.django_db
def test_hangul_names_with_spaces_are_accepted() -> None:
    assert errors_of("family_name,given_name,family_name_hangul,given_name_hangul", "Kim,Min Jun,김,민 준") == []


@pytest.mark.django_db
def test_a_value_in_a_cell_without_a_column_header_is_reported_instead_of_dropped() -> None:
    # An unquoted comma in the aliases shifts "Korean" out of the named columns.
    errors = errors_of(
        "family_name,given_name,aliases,languages",
        "Kim,Min Jun,Kim Minjun,Korean",
        "Pak,Yong Nam,Pak Yongnam, Jr.,Korean",
    )
    assert [(error.line, error.column) for error in errors] == [(3, "(no header)")]
    assert "5" in errors[0].reason


@pytest.mark.django_db
def test_a_value_under_an_empty_column_header_is_reported() -> None:
    errors = errors_of("family_name,,given_name", "Kim,note,Min Jun", "Pak,,Yong Nam")
    assert [(error.line, error.column) for error in errors] == [(2, "(no header)")]


@pytest.mark.django_db
def test_an_alias_longer_than_200_characters_is_reported() -> None:
    errors = errors_of("family_name,given_name,aliases", f"Kim,Min Jun,Short;{'A' * 201}")
    assert [(error.line, error.column) for error in errors] == [(2, "aliases")]


@pytest.mark.django_db
def test_several_errors_in_several_rows_are_all_reported_with_their_line_numbers(world: World) -> None:
    errors = errors_of(
        HEADER,
        GOOD_ROW,
        "PSG-IIII-0000,Kim,Min Jun,Kim,,,x,1999-13,,,,",
        "",
        "PSG-7KQ2-9D4M,,Yong Nam,,,,,2999,,,,",
        ",Jo,Song Hui,조,송희,,f,1999-02-30,,,,",
        f"{world.case_a.reference},Han,Ok Sun,,,,,,,,,",
    )
    assert [(error.line, error.column) for error in errors] == [
        (3, "date_of_birth"),
        (3, "family_name_hangul"),
        (3, "reference"),
        (3, "sex"),
        (5, "date_of_birth"),
        (5, "family_name"),
        (5, "reference"),
        (6, "date_of_birth"),
        (7, "reference"),
    ]
    assert next(error for error in errors if error.line == 5 and error.column == "reference").reason == (
        "duplicate of line 2"
    )


# Importing ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_good_csv_imports_every_person_with_aliases_and_languages_split_on_semicolons(world: World) -> None:
    data = csv_file(
        HEADER,
        GOOD_ROW,
        ",Kim,Min Jun,김,민준, Kim Min-jun ; ;Minjun ,f,1998,,,,Korean; English ;",
        bom=True,
    )
    report = run_import(world, data)
    assert report.is_valid
    case = Case.objects.get(reference="PSG-7KQ2-9D4M")
    person = case.person
    assert (person.family_name, person.given_name, person.family_name_hangul, person.given_name_hangul) == (
        "Ri",
        "Chol Su",
        "리",
        "철수",
    )
    assert (person.sex, person.date_of_birth, person.place_of_origin, person.unit, person.rank) == (
        "male",
        "1999-04",
        "Hamhung",
        "Unit 40001",
        "Sergeant",
    )
    assert person.languages == ["Korean", "Russian"]
    assert [alias.name for alias in person.aliases.all()] == ["Lee Cheol-su", "Chol"]
    assert case.organisation == world.org_a
    other = person_named("Min Jun")
    assert other.languages == ["Korean", "English"]
    assert [alias.name for alias in other.aliases.all()] == ["Kim Min-jun", "Minjun"]
    assert other.sex == "female"
    assert other.case.reference != ""


@pytest.mark.django_db
def test_a_good_xlsx_workbook_is_imported(world: World, tmp_path: Path) -> None:
    path = tmp_path / "persons.xlsx"
    path.write_bytes(
        xlsx_file(
            HEADER.split(","),
            [
                "PSG-7KQ2-9D4M",
                "Ri",
                "Chol Su",
                "리",
                "철수",
                "Lee Cheol-su",
                "m",
                1999,
                "Hamhung",
                None,
                None,
                "Korean",
            ],
            [None, "Kim", "Min Jun", "김", "민준", None, "f", "1998-07", None, None, None, None],
        )
    )
    before = Case.objects.count()
    report = run_import(world, path.read_bytes(), filename=path.name)
    assert report.is_valid
    assert Case.objects.count() == before + 2
    assert Person.objects.get(case__reference="PSG-7KQ2-9D4M").date_of_birth == "1999"
    assert person_named("Min Jun").date_of_birth == "1998-07"


@pytest.mark.django_db
def test_imported_cases_are_assigned_to_the_importers_teams(world: World) -> None:
    run_import(world, csv_file("family_name,given_name", "Kim,Min Jun"))
    case = case_named("Min Jun")
    assert [assignment.team for assignment in case.assignments.all()] == [world.team_a]
    assert case.created_by == world.user("supervisor_a")


@pytest.mark.django_db
@pytest.mark.parametrize("channel", ["cli", "web"])
def test_each_imported_case_gets_a_case_create_audit_entry_with_the_channel(world: World, channel: str) -> None:
    before = AuditEvent.objects.count()
    run_import(world, csv_file("family_name,given_name", "Kim,Min Jun", "Ko,Hyon Mi"), channel=channel)
    events = AuditEvent.objects.order_by("pk")[before:]
    references = {case_named(name).reference for name in ["Min Jun", "Hyon Mi"]}
    assert [(event.action, event.channel, event.actor_label) for event in events] == [
        ("case.create", channel, "supervisor@a.test"),
    ] * 2
    assert {event.case_reference for event in events} == references


@pytest.mark.django_db
def test_the_audit_entries_name_fields_but_never_hold_the_imported_values(world: World) -> None:
    before = AuditEvent.objects.count()
    run_import(world, csv_file(HEADER, GOOD_ROW))
    events = list(AuditEvent.objects.order_by("pk")[before:])
    (event,) = [event for event in events if event.action == "case.create"]
    assert {"family_name", "date_of_birth", "aliases", "languages"} <= set(event.changed_fields)
    # The row is the world's first person again: the possible duplicate is audited on both cases.
    assert sorted(event.action for event in events) == ["case.create", "duplicate.found", "duplicate.found"]
    text = str([event.__dict__ for event in events])
    for value in ("Chol Su", "철수", "Hamhung", "40001", "Lee Cheol-su"):
        assert value not in text


@pytest.mark.django_db
def test_a_bad_row_means_nothing_is_imported(world: World) -> None:
    good = [
        f",Kim,Min Jun {number},김,민준,Minjun {number},m,1990-0{1 + number % 9},Wonsan,,,Korean"
        for number in range(40)
    ]
    bad = ",Pak,Yong Nam,,,,m,1999-13,,,,"
    data = csv_file(HEADER, *good[:25], bad, *good[25:])
    before = counts()
    report = run_import(world, data)
    assert report.errors == [RowError(27, "date_of_birth", "The month must be between 01 and 12.")]
    assert counts() == before


@pytest.mark.django_db
def test_a_whole_file_problem_imports_nothing(world: World) -> None:
    before = counts()
    with pytest.raises(ImportFileError):
        run_import(world, csv_file("family_name,given_name,birthplace", "Kim,Min Jun,Wonsan"))
    assert counts() == before


@pytest.mark.django_db
def test_a_failure_during_the_import_phase_rolls_back_the_rows_already_written(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    created: list[str] = []

    def failing_case_create(**kwargs):
        if len(created) == 3:
            raise RuntimeError("disk full")
        case = case_create(**kwargs)
        created.append(case.reference)
        return case

    monkeypatch.setattr(importing, "case_create", failing_case_create)
    before = counts()
    with pytest.raises(RuntimeError, match="disk full"):
        run_import(world, csv_file("family_name,given_name", *(f"Kim,Min Jun {n}" for n in range(6))))
    assert len(created) == 3
    assert counts() == before
    assert not Case.objects.filter(reference__in=created).exists()


@pytest.mark.django_db
def test_a_reference_taken_between_checking_and_importing_is_reported_and_nothing_is_imported(
    world: World,
) -> None:
    def someone_else_takes_the_reference(total: int) -> None:
        assert total == 3
        case_create(
            actor=world.user("caseworker_a"),
            organisation=world.org_a,
            person={"family_name": "Jo", "given_name": "Song Hui"},
            reference="PSG-AAAA-BBBB",
        )

    data = csv_file(
        "reference,family_name,given_name",
        "PSG-7KQ2-9D4M,Kim,Min Jun",
        "PSG-AAAA-BBBB,Ko,Hyon Mi",
        ",Mun,Kwang Chol",
    )
    before = counts()
    report = run_import(world, data, on_validated=someone_else_takes_the_reference)
    assert not report.is_valid
    assert [(error.line, error.column) for error in report.errors] == [(3, "reference")]
    # Only the competing case (and its audit entry) exist; none of the file's rows.
    assert counts() == (before[0] + 1, before[1] + 1, before[2], before[3] + 1)
    assert not persons_named("Min Jun", "Hyon Mi", "Kwang Chol")


@pytest.mark.django_db
def test_progress_is_announced_with_the_total_and_advanced_once_per_person(world: World) -> None:
    totals: list[int] = []
    steps: list[int] = []
    run_import(
        world,
        csv_file("family_name,given_name", "Kim,Min Jun", "Pak,Yong Nam", "Ri,Chol Su"),
        on_validated=totals.append,
        on_progress=steps.append,
    )
    assert totals == [3]
    assert steps == [1, 1, 1]


@pytest.mark.django_db
def test_progress_is_not_announced_when_the_file_has_errors(world: World) -> None:
    totals: list[int] = []
    run_import(world, csv_file("family_name,given_name,sex", "Kim,Min Jun,x"), on_validated=totals.append)
    assert totals == []


@pytest.mark.django_db
@pytest.mark.parametrize("user", ["media_a", "auditor_a", "admin_a", "supervisor_b", "protection"])
def test_an_actor_without_import_rights_is_refused_before_the_file_is_read(world: World, user: str) -> None:
    before = counts()
    with pytest.raises(NotPermitted):
        persons_import(actor=world.user(user), organisation=world.org_a, data=b"not even a csv \xff", filename="p.csv")
    assert counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize("user", ["caseworker_a", "detaining_a", "supervisor_a"])
def test_caseworkers_liaisons_and_supervisors_may_import(world: World, user: str) -> None:
    report = persons_import(
        actor=world.user(user),
        organisation=world.org_a,
        data=csv_file("family_name,given_name", "Kim,Min Jun"),
        filename="p.csv",
    )
    assert report.is_valid


@pytest.mark.django_db
def test_the_example_file_imports_cleanly(world: World) -> None:
    data = EXAMPLE.read_bytes()
    header = data.decode("utf-8-sig").splitlines()[0].split(",")
    assert sorted(header) == sorted(importing.ALL_COLUMNS)
    before = Case.objects.count()
    report = run_import(world, data, filename=EXAMPLE.name)
    assert report.errors == []
    assert Case.objects.count() == before + len(report.rows)
    assert len(report.rows) >= 10
