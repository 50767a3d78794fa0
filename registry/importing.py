"""Reading and validating person files (CSV or XLSX) before anything is imported.

The whole file is validated first; a single bad row means nothing is written.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import Organisation
from accounts.policy import Action, Actor, may_act_in_organisation
from passage.errors import NotPermitted
from registry.models import Case, DuplicateCandidate, Person
from registry.references import is_valid_reference, normalise_reference
from registry.services import AliasInput, case_create

REQUIRED_COLUMNS = ("family_name", "given_name")
OPTIONAL_COLUMNS = (
    "reference",
    "family_name_hangul",
    "given_name_hangul",
    "aliases",
    "sex",
    "date_of_birth",
    "place_of_origin",
    "unit",
    "rank",
    "languages",
)
ALL_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
# The key (and reported column) for values found in cells that have no column header.
NO_HEADER = "(no header)"
SEX_ALIASES = {
    "m": "male",
    "f": "female",
    "male": "male",
    "female": "female",
    "other": "other",
    "": "unknown",
    "unknown": "unknown",
    "u": "unknown",
}


class ImportFileError(Exception):
    """The file as a whole cannot be read (format, encoding, header, emptiness)."""


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.reason}"


@dataclass
class ParsedRow:
    line: int
    reference: str
    person: dict[str, Any]
    aliases: list[AliasInput] = field(default_factory=list)


@dataclass
class ValidationReport:
    rows: list[ParsedRow]
    errors: list[RowError]
    possible_duplicates: int = 0
    """Pairs of an imported person and a registered one (or another imported one) recorded for review."""

    @property
    def is_valid(self) -> bool:
        return not self.errors


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return str(value.isoformat())[:10]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_csv(data: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _("The file is not UTF-8 text (bad byte at position %(position)s). Save it as CSV UTF-8.")
            % {"position": exc.start}
        ) from exc
    # strict: an unclosed quote is an error instead of silently swallowing the rest of the file.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    first_line = 1

    def numbered() -> Iterator[tuple[int, list[str]]]:
        # Number each row by its first line: a quoted field may span several lines, and
        # reader.line_num is the row's last line.
        nonlocal first_line
        for row in reader:
            yield first_line, row
            first_line = reader.line_num + 1

    try:
        header = next(reader, None)
        first_line = reader.line_num + 1
        yield from _rows_with_header(header, numbered())
    except csv.Error as exc:
        raise ImportFileError(
            _("Line %(line)s is not valid CSV (%(problem)s). Check the quotes in that row.")
            % {"line": first_line, "problem": exc}
        ) from exc


def _read_xlsx(data: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    from openpyxl import load_workbook

    # The sheet is parsed lazily (read_only), so a damaged workbook can fail while rows are read.
    unreadable = (zipfile.BadZipFile, KeyError, ValueError, OSError, SyntaxError, IndexError)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except unreadable as exc:
        raise ImportFileError(_("The file is not a readable XLSX workbook.")) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        first = next(rows, None)
        header = [_cell(value) for value in first] if first is not None else None
        numbered = ((index, [_cell(value) for value in row]) for index, row in enumerate(rows, start=2))
        yield from _rows_with_header(header, numbered)
    except unreadable as exc:
        raise ImportFileError(_("The file is not a readable XLSX workbook.")) from exc
    finally:
        workbook.close()


def _rows_with_header(
    header: list[str] | None, rows: Iterator[tuple[int, list[str]]]
) -> Iterator[tuple[int, dict[str, str]]]:
    if not header or not any(cell.strip() for cell in header):
        raise ImportFileError(_("The file is empty: it needs a header row and at least one person."))
    columns = [cell.strip().lower() for cell in header]
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise ImportFileError(_("Missing required column(s): %(columns)s.") % {"columns": ", ".join(missing)})
    unknown = [name for name in columns if name and name not in ALL_COLUMNS]
    if unknown:
        raise ImportFileError(
            _("Unknown column(s): %(columns)s. Allowed: %(allowed)s.")
            % {"columns": ", ".join(unknown), "allowed": ", ".join(ALL_COLUMNS)}
        )
    duplicated = sorted({name for name in columns if name and columns.count(name) > 1})
    if duplicated:
        raise ImportFileError(_("Column(s) appear twice: %(columns)s.") % {"columns": ", ".join(duplicated)})
    for line, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        row = {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(columns) if name}
        # A value outside every named column usually means an unquoted comma shifted the row;
        # dropping it silently would import the other values under the wrong columns.
        stray = [str(i + 1) for i, cell in enumerate(cells) if cell.strip() and (i >= len(columns) or not columns[i])]
        if stray:
            row[NO_HEADER] = ", ".join(stray)
        yield line, row


def read_person_file(data: bytes, filename: str) -> list[tuple[int, dict[str, str]]]:
    """Parse a CSV or XLSX file into numbered rows keyed by column name."""
    if not data.strip():
        raise ImportFileError(_("The file is empty: it needs a header row and at least one person."))
    is_xlsx = filename.lower().endswith(".xlsx") or data[:2] == b"PK"
    rows = list(_read_xlsx(data) if is_xlsx else _read_csv(data))
    if not rows:
        raise ImportFileError(_("The file has a header but no persons."))
    return rows


def _split(value: str) -> list[str]:
    return [item.strip() for item in value.split(";") if item.strip()]


def validate_person_rows(rows: list[tuple[int, dict[str, str]]]) -> ValidationReport:
    """Check every row; collect every problem with its line and column."""
    errors: list[RowError] = []
    parsed: list[ParsedRow] = []
    seen_references: dict[str, int] = {}
    wanted_references: list[str] = []
    for line, row in rows:
        row_errors: list[RowError] = []
        if row.get(NO_HEADER):
            row_errors.append(
                RowError(
                    line,
                    NO_HEADER,
                    _("cell(s) %(cells)s hold a value but have no column header; quote values with commas")
                    % {"cells": row[NO_HEADER]},
                )
            )
        reference = normalise_reference(row.get("reference", ""))
        if reference:
            if not is_valid_reference(reference):
                row_errors.append(RowError(line, "reference", _("not a valid reference (e.g. PSG-7KQ2-9D4M)")))
            elif reference in seen_references:
                row_errors.append(
                    RowError(
                        line,
                        "reference",
                        _("duplicate of line %(line)s") % {"line": seen_references[reference]},
                    )
                )
            else:
                seen_references[reference] = line
                wanted_references.append(reference)
        sex_text = row.get("sex", "").strip().lower()
        sex = SEX_ALIASES.get(sex_text)
        if sex is None:
            row_errors.append(RowError(line, "sex", _("use male, female, other or unknown")))
        person = {
            "family_name": row.get("family_name", ""),
            "given_name": row.get("given_name", ""),
            "family_name_hangul": row.get("family_name_hangul", ""),
            "given_name_hangul": row.get("given_name_hangul", ""),
            "sex": sex or "unknown",
            "date_of_birth": row.get("date_of_birth", ""),
            "place_of_origin": row.get("place_of_origin", ""),
            "unit": row.get("unit", ""),
            "rank": row.get("rank", ""),
            "languages": _split(row.get("languages", "")),
        }
        candidate = Person(**person)
        try:
            candidate.full_clean(exclude=["organisation"])
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    row_errors.append(RowError(line, name, message))
        aliases = [AliasInput(name=name) for name in _split(row.get("aliases", ""))]
        for alias in aliases:
            if len(alias.name) > 200:
                row_errors.append(RowError(line, "aliases", _("an alias is longer than 200 characters")))
        errors.extend(row_errors)
        parsed.append(ParsedRow(line=line, reference=reference, person=person, aliases=aliases))
    if wanted_references:
        taken = set(Case.objects.filter(reference__in=wanted_references).values_list("reference", flat=True))
        for reference in sorted(taken):
            errors.append(RowError(seen_references[reference], "reference", _("already used by an existing case")))
    errors.sort(key=lambda error: (error.line, error.column))
    return ValidationReport(rows=parsed, errors=errors)


def persons_import(
    *,
    actor: Actor,
    organisation: Organisation,
    data: bytes,
    filename: str,
    channel: str = "cli",
    on_validated: Callable[[int], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> ValidationReport:
    """Validate the whole file, then import every row in one transaction, or nothing."""
    if not may_act_in_organisation(actor, Action.IMPORT, organisation):
        raise NotPermitted(_("You may not import persons into this organisation."))
    report = validate_person_rows(read_person_file(data, filename))
    if not report.is_valid:
        return report
    if on_validated is not None:
        on_validated(len(report.rows))
    imported_person_ids: list[int] = []
    try:
        with transaction.atomic():
            for row in report.rows:
                try:
                    created = case_create(
                        actor=actor,
                        organisation=organisation,
                        person=row.person,
                        aliases=row.aliases,
                        reference=row.reference,
                        channel=channel,
                        duplicate_source=DuplicateCandidate.Source.IMPORT,
                    )
                    imported_person_ids.append(created.person_id)
                except ValidationError as exc:
                    # Something changed since validation (e.g. another user took a reference):
                    # report it like a validation error, after rolling back every row.
                    raise _RowRefused(
                        [
                            RowError(row.line, name, message)
                            for name, messages in exc.message_dict.items()
                            for message in messages
                        ]
                    ) from exc
                if on_progress is not None:
                    on_progress(1)
    except _RowRefused as refused:
        return ValidationReport(rows=report.rows, errors=refused.errors)
    report.possible_duplicates = DuplicateCandidate.objects.filter(
        Q(person_a__in=imported_person_ids) | Q(person_b__in=imported_person_ids),
        status=DuplicateCandidate.Status.OPEN,
    ).count()
    return report


class _RowRefused(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__()
        self.errors = errors
