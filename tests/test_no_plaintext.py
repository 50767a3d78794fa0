"""Release test: no plaintext in the database (SECURITY_NOTES, test 2).

Distinctive canary persons (made-up syllables that cannot occur by chance) are put through every
flow that writes or reads identifying data: creating a case on the web page, through the API, by
uploading a CSV on the import page and with `passage import persons`; editing on the page and
through the API (to a second canary, so the first must be gone too); adding custody records;
searching for every spelling on the page, with htmx and through the API; opening the detail,
edit and API pages. Afterwards:

- the database as stored holds no canary in any encoding: on SQLite the raw bytes of the database
  file and its -wal/-shm files after a checkpoint, on PostgreSQL the output of `pg_dump` (every
  table: sessions, admin log, audit events, axes, vault); session data is also decoded;
- no log record (every logger at DEBUG, SQL statements included) and no cache entry holds one;
- positive controls: the canaries do come back through the ORM, and control values stored in
  plain places (the `languages` JSON field, a log line, a cache entry) ARE found by the same
  search, so a pass means the plaintext is absent, not that the search is blind.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import logging
import os
import re
import shutil
import subprocess
import unicodedata
import urllib.parse
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.management import call_command
from django.db import connection
from django.test import Client

from conftest import World, case_named, verified_client
from registry.models import Alias, Case, Custody, Person
from vault import crypto, runtime

# Values stored on purpose where nothing is encrypted: the search must find them.
CONTROL_LANGUAGE = "zz-CANARYLANG"
CONTROL_LANGUAGE_HANGUL = "zz-쉛퀣"
CONTROL_LOG = "zz-CANARYLOG control line"
CONTROL_CACHE = "zz-CANARYCACHE control value"

# A Latin needle must be long enough not to turn up by chance in base64 ciphertext or hex:
# a 4-letter word matches case-insensitively somewhere in ~20 kB of base64 with a few % chance.
MIN_LATIN_LENGTH = 7


@dataclass(frozen=True)
class Canary:
    """A fictional person whose every value is an unusual string; `flow` says who wrote it."""

    flow: str
    family_name: str
    given_name: str
    family_name_hangul: str
    given_name_hangul: str
    rare_syllables: str  # the Hangul syllables distinctive enough to look for one by one
    variants: tuple[str, ...]  # other romanisations, as a user would type them
    alias: str
    place_of_origin: str
    unit: str
    rank: str
    note_word: str
    facility: str
    date_of_birth: str

    @property
    def notes(self) -> str:
        return f"Seen near the river crossing; calls himself {self.note_word} in letters home."

    def person_values(self) -> dict[str, str]:
        return {
            "family_name": self.family_name,
            "given_name": self.given_name,
            "family_name_hangul": self.family_name_hangul,
            "given_name_hangul": self.given_name_hangul,
            "date_of_birth": self.date_of_birth,
            "place_of_origin": self.place_of_origin,
            "unit": self.unit,
            "rank": self.rank,
            "notes": self.notes,
        }


WEB = Canary(
    flow="created on the web page",
    family_name="Kwok",
    given_name="Ttulsaem",
    family_name_hangul="궉",
    given_name_hangul="뚫샘",
    rare_syllables="궉뚫",
    variants=("Kwok Ttul-saem", "KWOK TTULSAEM", "Ttulsaem Kwok"),
    alias="Kkwolbaek Ttulsaemi",
    place_of_origin="Zyxwharbour",
    unit="Unit 97531-Q",
    rank="Quartermaster-Zeta",
    note_word="Vrelquonth",
    facility="Camp Qqvortex",
    date_of_birth="1987-06-05",
)
WEB_EDITED = Canary(
    flow="edited on the web page",
    family_name="Bwelk",
    given_name="Ttomkkeulh",
    family_name_hangul="뷁",
    given_name_hangul="똠꿿",
    rare_syllables="뷁똠꿿",
    variants=("Bwelk Ttom-kkeulh", "BWELK TTOMKKEULH", "Ttomkkeulh Bwelk"),
    alias="Ppyalk Ttomkkeulhi",
    place_of_origin="Xoqfenmarsh",
    unit="Unit 86420-W",
    rank="Brigadier-Omicron",
    note_word="Zandrupelk",
    facility="Camp Wwyxhollow",
    date_of_birth="1979-11-23",
)
API = Canary(
    flow="created through the API",
    family_name="Ppwelq",
    given_name="Nolbjeolg",
    family_name_hangul="쀍",
    given_name_hangul="놻젉",
    rare_syllables="쀍놻젉",
    variants=("Ppwelq Nolb-jeolg", "PPWELQ NOLBJEOLG", "Nolbjeolg Ppwelq"),
    alias="Bbwelq Nolbjeolgi",
    place_of_origin="Qyrnbastion",
    unit="Unit 31415-K",
    rank="Warrant-Upsilonix",
    note_word="Gorflimbet",
    facility="Camp Jjextarn",
    date_of_birth="1983-02-17",
)
API_EDITED = Canary(
    flow="edited through the API",
    family_name="Pyulh",
    given_name="Chyupjjwaep",
    family_name_hangul="퓝",
    given_name_hangul="츪쫣",
    rare_syllables="퓝츪쫣",
    variants=("Pyulh Chyup-jjwaep", "PYULH CHYUPJJWAEP", "Chyupjjwaep Pyulh"),
    alias="Phyulh Chyupjjwaepi",
    place_of_origin="Vexlomoorgate",
    unit="Unit 27182-X",
    rank="Corporal-Thetaquin",
    note_word="Miskavelto",
    facility="Camp Yyplenwick",
    date_of_birth="1991-09-14",
)
CSV_PAGE = Canary(
    flow="imported on the import page",
    family_name="Ttwaeng",
    given_name="Kkwaelsswelk",
    family_name_hangul="뙑",
    given_name_hangul="꽯쒧",
    rare_syllables="뙑꽯쒧",
    variants=("Ttwaeng Kkwael-sswelk", "TTWAENG KKWAELSSWELK", "Kkwaelsswelk Ttwaeng"),
    alias="Dwaeng Kkwaelsswelki",
    place_of_origin="Brumqillport",
    unit="Unit 16180-J",
    rank="Signaller-Kappaxe",
    note_word="Wobrendaxil",  # not stored: the import files have no notes
    facility="Camp Zzorbethal",
    date_of_birth="1975-04-29",
)
CLI = Canary(
    flow="imported with `passage import persons`",
    family_name="Ssaelp",
    given_name="Ttwaeshwaerk",
    family_name_hangul="쌻",
    given_name_hangul="뛃뤩",
    rare_syllables="쌻뛃뤩",
    variants=("Ssaelp Ttwae-shwaerk", "SSAELP TTWAESHWAERK", "Ttwaeshwaerk Ssaelp"),
    alias="Saelp Ttwaeshwaerki",
    place_of_origin="Ghelvenquay",
    unit="Unit 14142-V",
    rank="Sapper-Lambdorix",
    note_word="Klestraviom",  # not stored: the import files have no notes
    facility="Camp Kkrewdown",
    date_of_birth="1969-12-08",
)
CANARIES = (WEB, WEB_EDITED, API, API_EDITED, CSV_PAGE, CLI)
SUPERSEDED = (WEB, API)  # replaced by an edit: searching for them must find nothing


# What to look for ---------------------------------------------------------------------------------


def name_spellings(canary: Canary) -> list[str]:
    """The spellings a user would search for: romanised, Hangul, alias, surname with birth year."""
    family, given = canary.family_name, canary.given_name
    family_h, given_h = canary.family_name_hangul, canary.given_name_hangul
    return [
        f"{family} {given}",
        *canary.variants,
        f"{family}{given}",
        given,
        f"{family_h}{given_h}",
        f"{family_h} {given_h}",
        given_h,
        canary.alias,
        f"{family} {canary.date_of_birth[:4]}",
    ]


def all_spellings(canary: Canary) -> list[str]:
    """Every text of the canary worth looking for, short Latin words left out (see MIN_LATIN_LENGTH)."""
    texts = [
        *name_spellings(canary),
        f"{canary.given_name}{canary.family_name}",
        f"{canary.given_name_hangul}{canary.family_name_hangul}",
        *canary.rare_syllables,
        *canary.alias.split(),
        canary.place_of_origin,
        canary.unit,
        canary.rank,
        canary.notes,
        canary.note_word,
        canary.facility,
        canary.date_of_birth,
        canary.date_of_birth.replace("-", ""),
    ]
    kept = [text for text in texts if not text.isascii() or len(text) >= MIN_LATIN_LENGTH]
    return list(dict.fromkeys(kept))


def _base64_cores(data: bytes) -> Iterator[tuple[str, bytes]]:
    """The part of the base64 of `data` that does not depend on what surrounds it, at each of
    the three alignments the data can have inside a longer encoded value."""
    for offset in range(3):
        total = offset + len(data)
        start = (0, 2, 3)[offset]
        end = total // 3 * 4
        for name, encode in (("base64", base64.b64encode), ("base64url", base64.urlsafe_b64encode)):
            core = encode(b"\0" * offset + data)[start:end]
            if len(core) >= 8:
                yield f"{name}@{offset}", core


def encodings(text: str) -> dict[str, bytes]:
    """`text` as it could sit in a file: every byte form a database, a log or a cache might use."""
    utf8 = text.encode("utf-8")
    forms = {
        "utf-8 NFD": unicodedata.normalize("NFD", text).encode("utf-8"),
        "json \\u escapes": json.dumps(text)[1:-1].encode("ascii"),
        "url-encoded": urllib.parse.quote(text).encode("ascii"),
        "url-encoded (+)": urllib.parse.quote_plus(text).encode("ascii"),
        "html entities": "".join(c if c.isascii() else f"&#{ord(c)};" for c in text).encode("ascii"),
        "html hex entities": "".join(c if c.isascii() else f"&#x{ord(c):x};" for c in text).encode("ascii"),
        **dict(_base64_cores(utf8)),
    }
    if len(utf8) >= 6:  # shorter hex (one syllable: 6 digits) turns up by chance in bytea dumps
        forms["hex"] = binascii.hexlify(utf8)
    if len(utf8) >= 4 or text.isascii():
        # One Hangul syllable is 3 bytes of UTF-8: that many random bytes turn up by chance in the raw
        # hashes of a SQLite file (the audit chain's entry_hash). Its other forms are still searched.
        forms = {"utf-8": utf8, **forms}
    if len(text) >= 2:  # one UTF-16 code unit is two bytes: far too common to mean anything
        forms["utf-16-le"] = text.encode("utf-16-le")
        forms["utf-16-be"] = text.encode("utf-16-be")
    unique: dict[str, bytes] = {}
    for name, form in forms.items():
        if form.lower() not in {known.lower() for known in unique.values()}:
            unique[name] = form
    return unique


@dataclass(frozen=True)
class Needle:
    label: str  # what it is: the canary's flow, the text and the encoding
    data: bytes  # lower-cased: the search ignores ASCII case


def needles_for(texts_by_owner: Mapping[str, list[str]]) -> list[Needle]:
    return [
        Needle(f"{owner}: {text!r} as {encoding}", form.lower())
        for owner, texts in texts_by_owner.items()
        for text in texts
        for encoding, form in encodings(text).items()
    ]


CANARY_NEEDLES = needles_for({canary.flow: all_spellings(canary) for canary in CANARIES})


def found(haystack: bytes, needles: list[Needle]) -> list[tuple[Needle, int]]:
    lowered = haystack.lower()
    hits = []
    for needle in needles:
        position = lowered.find(needle.data)
        if position >= 0:
            hits.append((needle, position))
    return hits


def _context(haystack: bytes, position: int) -> str:
    copy = haystack.rfind(b"\nCOPY ", 0, position)  # which table, in a pg_dump
    table = haystack[copy + 1 : haystack.find(b"(", copy)].decode(errors="replace") if copy >= 0 else ""
    snippet = haystack[max(0, position - 60) : position + 80]
    return f"{table} … {snippet!r}".strip()


def assert_absent(
    where: str,
    haystack: bytes,
    needles: list[Needle] = CANARY_NEEDLES,
    locate: Callable[[list[Needle]], list[str]] | None = None,
) -> None:
    """No needle in `haystack`; on failure, each hit with its context (and `locate`'s findings)."""
    hits = found(haystack, needles)
    if hits:
        lines = [f"plaintext found in {where}:"]
        lines += [f"  {needle.label} at byte {at}: {_context(haystack, at)}" for needle, at in hits]
        if locate is not None:
            lines += ["  in the tables:", *(f"    {place}" for place in locate([n for n, _at in hits]))]
        pytest.fail("\n".join(lines))


def assert_present(where: str, haystack: bytes, texts: list[str]) -> None:
    """The positive control: each text is found in `haystack` in at least one encoding."""
    for text in texts:
        assert found(haystack, needles_for({"control": [text]})), f"control {text!r} not found in {where}"


# Where to look ------------------------------------------------------------------------------------


def _sqlite_files() -> dict[str, bytes]:
    path = Path(connection.settings_dict["NAME"])
    assert path.is_file(), f"the SQLite test database is not a file: {path}"
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        busy, _log_frames, _checkpointed = cursor.fetchone()
    assert busy == 0, "the WAL checkpoint was blocked"
    files = {}
    for suffix in ("", "-wal", "-shm", "-journal"):
        candidate = path.with_name(path.name + suffix)
        if candidate.exists():
            files[str(candidate)] = candidate.read_bytes()
    return files


def _pg_dump() -> dict[str, bytes]:
    executable = shutil.which("pg_dump")
    assert executable is not None, "pg_dump is needed to inspect the PostgreSQL database"
    config = connection.settings_dict
    command = [executable, "--no-owner", "--no-privileges", "--encoding=UTF8", "--dbname", config["NAME"]]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if config.get(key):
            command += [option, str(config[key])]
    env = dict(os.environ)
    if config.get("PASSWORD"):
        env["PGPASSWORD"] = str(config["PASSWORD"])
    result = subprocess.run(command, capture_output=True, env=env, timeout=60, check=False)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    dump = result.stdout
    for table in connection.introspection.table_names():
        assert re.search(rb"\nCOPY [\w.\"]*\b" + re.escape(table.encode()) + rb"\b", dump), (
            f"table {table} is missing from the dump"
        )
    return {f"pg_dump of {config['NAME']}": dump}


def database_bytes() -> dict[str, bytes]:
    """The database as it is stored, by source: raw SQLite files, or a pg_dump of every table."""
    if connection.vendor == "sqlite":
        return _sqlite_files()
    if connection.vendor == "postgresql":
        return _pg_dump()
    pytest.fail(f"no raw-bytes inspection for {connection.vendor}: this security test must not pass unchecked")


def decoded_sessions() -> bytes:
    """Session data is signed and may be zlib-compressed: grep it decoded as well."""
    return b"\n".join(
        json.dumps(session.get_decoded(), ensure_ascii=False, default=str).encode() for session in Session.objects.all()
    )


def table_cells() -> Iterator[tuple[str, str, bytes]]:
    """Every stored value as (table, column, bytes), to say where a leak found in raw bytes is."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            columns = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if isinstance(value, memoryview | bytes):
                        yield table, column, bytes(value)
                    elif value is not None:
                        yield table, column, str(value).encode()


def locate_in_tables(needles: list[Needle]) -> list[str]:
    return [
        f"{table}.{column}: {needle.label}"
        for table, column, value in table_cells()
        for needle, _position in found(value, needles)
    ]


def cache_bytes() -> dict[str, bytes]:
    """Keys and pickled values of every (local-memory) cache."""
    contents = {}
    for alias in settings.CACHES:
        backend = caches[alias]
        assert isinstance(backend, LocMemCache), "this test inspects the local-memory cache only"
        with vars(backend)["_lock"]:
            entries = vars(backend)["_cache"]
            contents[f"cache {alias!r}"] = b"\n".join(
                key.encode() + b" " + bytes(value) for key, value in entries.items()
            )
    return contents


class LogRecorder(logging.Handler):
    """Keeps every record with everything a formatter or an error mailer could print of it."""

    STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: dict[int, logging.LogRecord] = {}

    def emit(self, record: logging.LogRecord) -> None:
        self.records[id(record)] = record  # a record reaches several of our loggers: keep it once

    def text(self) -> bytes:
        lines = []
        for record in self.records.values():
            parts = [record.name, record.levelname, record.getMessage()]
            if record.exc_info:
                parts.append(logging.Formatter().formatException(record.exc_info))
            if record.stack_info:
                parts.append(record.stack_info)
            parts += [f"{key}={value!r}" for key, value in vars(record).items() if key not in self.STANDARD]
            lines.append(" ".join(parts))
        return "\n".join(lines).encode("utf-8", errors="backslashreplace")


LOGGERS = ("", "passage", "django", "django.request", "django.server", "django.db.backends", "axes")


@pytest.fixture
def log_recorder(caplog: pytest.LogCaptureFixture) -> Iterator[LogRecorder]:
    """Every log record of the test at DEBUG, SQL statements included (on a forced debug cursor)."""
    recorder = LogRecorder()
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name or None)
        logging.getLogger(name or None).addHandler(recorder)
    forced = connection.force_debug_cursor
    connection.force_debug_cursor = True
    try:
        yield recorder
    finally:
        connection.force_debug_cursor = forced
        for name in LOGGERS:
            logging.getLogger(name or None).removeHandler(recorder)


# The flows ----------------------------------------------------------------------------------------


def page_form(canary: Canary, **extra: str) -> dict[str, str]:
    return {
        **canary.person_values(),
        "sex": "male",
        "languages": f"ko-KP, {CONTROL_LANGUAGE}, {CONTROL_LANGUAGE_HANGUL}",
        "aliases-TOTAL_FORMS": "1",
        "aliases-INITIAL_FORMS": "0",
        "aliases-MIN_NUM_FORMS": "0",
        "aliases-MAX_NUM_FORMS": "20",
        "aliases-0-name": canary.alias,
        "aliases-0-kind": "alias",
        **extra,
    }


def api_body(canary: Canary) -> dict[str, object]:
    return {
        **canary.person_values(),
        "sex": "male",
        "aliases": [{"name": canary.alias}],
        "languages": ["ko-KP"],
    }


def csv_file(path: Path, canary: Canary) -> Path:
    header = "family_name,given_name,family_name_hangul,given_name_hangul,aliases,sex,date_of_birth,"
    header += "place_of_origin,unit,rank,languages"
    row = [
        canary.family_name,
        canary.given_name,
        canary.family_name_hangul,
        canary.given_name_hangul,
        canary.alias,
        "m",
        canary.date_of_birth,
        canary.place_of_origin,
        canary.unit,
        canary.rank,
        "Korean",
    ]
    path.write_bytes(f"{header}\r\n{','.join(row)}\r\n".encode())
    return path


def create_on_the_page(page: Client, world: World, canary: Canary) -> str:
    data = page_form(canary, organisation=str(world.org_a.pk), entry_route="defector", stage="registered")
    response = page.post("/cases/new/", data)
    assert response.status_code == 302, response.content.decode()
    return response["Location"].strip("/").split("/")[-1]


def edit_on_the_page(page: Client, reference: str, canary: Canary) -> None:
    form = page.get(f"/cases/{reference}/edit/")
    assert form.status_code == 200
    version = str(form.context["form"].initial["version"])
    response = page.post(f"/cases/{reference}/edit/", page_form(canary, version=version))
    assert response.status_code == 302, response.content.decode()


def custody_on_the_page(page: Client, reference: str, canary: Canary) -> None:
    response = page.post(
        f"/cases/{reference}/custody/",
        {"facility": canary.facility, "kind": "camp", "from_date": "2024-03-01"},
    )
    assert response.status_code == 302, response.content.decode()


def custody_through_the_api(api: Client, reference: str, canary: Canary) -> None:
    response = api.post(
        f"/api/v1/cases/{reference}/custody/",
        {"facility": canary.facility, "kind": "transit", "from_date": "2024-04-02"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content


def create_through_the_api(api: Client, canary: Canary) -> str:
    response = api.post(
        "/api/v1/cases/",
        {"organisation": "alpha-bureau", **api_body(canary)},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    return str(response.json()["reference"])


def edit_through_the_api(api: Client, reference: str, canary: Canary) -> None:
    response = api.patch(
        f"/api/v1/cases/{reference}/", api_body(canary), content_type="application/json", HTTP_IF_MATCH='"v1"'
    )
    assert response.status_code == 200, response.content


def search_everywhere(page: Client, api: Client, canary: Canary, reference: str, expect_found: bool) -> None:
    for query in name_spellings(canary):
        for where, response in (
            ("page", page.get("/cases/", {"q": query})),
            ("htmx", page.get("/cases/", {"q": query}, HTTP_HX_REQUEST="true")),
            ("api", api.get("/api/v1/cases/", {"q": query})),
        ):
            assert response.status_code == 200
            assert (reference in response.content.decode()) is expect_found, (
                f"search on the {where} for {query!r} ({canary.flow})"
            )


def read_everywhere(page: Client, api: Client, canary: Canary, reference: str) -> None:
    detail = page.get(f"/cases/{reference}/").content.decode()
    for shown in (canary.given_name, canary.given_name_hangul, canary.alias, canary.facility, canary.unit):
        assert shown in detail, f"{shown!r} is not on the detail page of the case {canary.flow}"
    assert canary.family_name in page.get(f"/cases/{reference}/edit/").content.decode()
    body = api.get(f"/api/v1/cases/{reference}/").json()
    assert body["person"]["given_name"] == canary.given_name
    assert page.get("/cases/").status_code == 200
    assert api.get("/api/v1/cases/").status_code == 200


def assert_decrypts(case: Case, canary: Canary, facilities: tuple[str, ...]) -> None:
    """Positive control: the values are in the database, encrypted, and come back through the ORM."""
    person = Person.objects.select_related("data_key").get(pk=case.person_id)
    expected = canary.person_values()
    if canary in (CSV_PAGE, CLI):
        expected["notes"] = ""  # the import files have no notes column
    assert {name: getattr(person, name) for name in expected} == expected
    assert [alias.name for alias in Alias.objects.filter(person=person).select_related("person__data_key")] == [
        canary.alias
    ]
    records = Custody.objects.filter(case=case).select_related("person__data_key")
    assert sorted(record.facility for record in records) == sorted(facilities)
    stored = Person.objects.filter(pk=person.pk).values_list("given_name", flat=True).get()
    assert stored != canary.given_name
    assert base64.b64decode(stored, validate=True)[:1] == b"\x01"  # a sealed value, not the name


# The test -----------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)  # committed rows: pg_dump reads through its own connection
def test_no_canary_reaches_the_database_the_logs_or_the_cache(
    log_recorder: LogRecorder, caplog: pytest.LogCaptureFixture, world: World, tmp_path: Path
) -> None:
    assert settings.PASSAGE_VAULT_CIPHER == "aes-256-gcm", "the release test needs the real cipher"
    page = verified_client(world.user("caseworker_a"))
    api = verified_client(world.user("caseworker_a"))

    web_reference = create_on_the_page(page, world, WEB)
    custody_on_the_page(page, web_reference, WEB)
    edit_on_the_page(page, web_reference, WEB_EDITED)
    custody_on_the_page(page, web_reference, WEB_EDITED)

    api_reference = create_through_the_api(api, API)
    custody_through_the_api(api, api_reference, API)
    edit_through_the_api(api, api_reference, API_EDITED)
    custody_through_the_api(api, api_reference, API_EDITED)

    with csv_file(tmp_path / "page.csv", CSV_PAGE).open("rb") as upload:
        response = page.post("/cases/import/", {"organisation": world.org_a.pk, "file": upload})
    assert response.status_code == 302, response.content.decode()
    csv_reference = case_named(CSV_PAGE.given_name).reference
    custody_on_the_page(page, csv_reference, CSV_PAGE)

    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import",
        "persons",
        str(csv_file(tmp_path / "cli.csv", CLI)),
        organisation="alpha-bureau",
        stdout=out,
        stderr=err,
    )
    assert out.getvalue().strip() == "Imported 1 persons into alpha-bureau."
    cli_reference = case_named(CLI.given_name).reference
    custody_through_the_api(api, cli_reference, CLI)

    current = {
        WEB_EDITED: web_reference,
        API_EDITED: api_reference,
        CSV_PAGE: csv_reference,
        CLI: cli_reference,
    }
    for canary, reference in current.items():
        search_everywhere(page, api, canary, reference, expect_found=True)
        read_everywhere(page, api, canary, reference)
    for canary, reference in ((WEB, web_reference), (API, api_reference)):
        search_everywhere(page, api, canary, reference, expect_found=False)

    # Positive controls: the data is there and readable, and plain values are found by the search.
    facilities = {
        WEB_EDITED: (WEB.facility, WEB_EDITED.facility),
        API_EDITED: (API.facility, API_EDITED.facility),
    }
    for canary, reference in current.items():
        case = Case.objects.get(reference=reference)
        assert_decrypts(case, canary, facilities.get(canary, (canary.facility,)))

    # Possible duplicates: the edited web person registered again under another spelling, compared
    # and merged; then batch linkage over the whole registry.
    again = api.post(
        "/api/v1/cases/",
        {
            "organisation": "alpha-bureau",
            "family_name": WEB_EDITED.family_name.upper(),
            "given_name": WEB_EDITED.variants[0].split(" ", 1)[1],
            "date_of_birth": WEB_EDITED.date_of_birth[:4],
        },
        content_type="application/json",
    )
    assert again.status_code == 201, again.content
    pairs = api.get("/api/v1/duplicates/").json()["results"]
    (pair,) = [row for row in pairs if again.json()["reference"] in (row["case_a"], row["case_b"])]
    assert page.get(f"/duplicates/{pair['id']}/").status_code == 200
    supervisor = verified_client(world.user("supervisor_a"))
    merged = supervisor.post(
        f"/api/v1/duplicates/{pair['id']}/merge/", {"survivor": web_reference}, content_type="application/json"
    )
    assert merged.status_code == 200, merged.content
    link_out = io.StringIO()
    call_command("link", "run", "--no-progress", stdout=link_out, stderr=link_out)
    assert "Linked" in link_out.getvalue()
    out.write(link_out.getvalue())

    logging.getLogger("passage").warning(CONTROL_LOG)
    cache.set("no-plaintext-control", CONTROL_CACHE)

    stored = database_bytes()
    assert_present(" + ".join(stored), b"\n".join(stored.values()), [CONTROL_LANGUAGE, CONTROL_LANGUAGE_HANGUL])
    for where, data in stored.items():
        assert_absent(where, data, locate=locate_in_tables)
    assert_absent("the decoded session data", decoded_sessions())
    assert_absent("the command's output", (out.getvalue() + err.getvalue()).encode())

    logs = log_recorder.text() + b"\n" + caplog.text.encode()
    assert_present("the log records", logs, [CONTROL_LOG])
    assert b"django.db.backends" in logs, "SQL statements were not logged: the SQL check saw nothing"
    assert_absent("the log records", logs)

    cached = cache_bytes()
    assert_present("the cache", b"\n".join(cached.values()), [CONTROL_CACHE])
    for where, data in cached.items():
        assert_absent(where, data)


@pytest.mark.django_db(transaction=True)
def test_a_name_typed_where_the_reference_goes_is_not_kept(world: World) -> None:
    page = verified_client(world.user("caseworker_a"))
    api = verified_client(world.user("caseworker_a"))
    for mistaken in (f"{WEB.family_name} {WEB.given_name}", WEB.given_name, WEB.given_name_hangul):
        assert page.get(f"/cases/{urllib.parse.quote(mistaken)}/").status_code == 404
        assert api.get(f"/api/v1/cases/{urllib.parse.quote(mistaken)}/").status_code == 404
    for where, data in database_bytes().items():
        assert_absent(where, data, locate=locate_in_tables)


# The search itself --------------------------------------------------------------------------------


@pytest.mark.parametrize("canary", CANARIES, ids=lambda canary: canary.given_name)
def test_the_search_finds_each_spelling_in_each_encoding(canary: Canary) -> None:
    """Any spelling, in any encoding, in any letter case, surrounded by noise, is caught."""
    noise = os.urandom(64)
    for text in all_spellings(canary):
        forms = encodings(text)
        for encoding, form in forms.items():
            if not encoding.startswith("base64"):
                for variant in (form, form.upper()):
                    assert found(noise + variant + noise, CANARY_NEEDLES), f"{text!r} as {encoding} missed"
        # Base64 is recognisable at each alignment where the text is long enough to leave a core.
        offsets = {int(encoding.split("@")[1]) for encoding in forms if encoding.startswith("base64")}
        for offset in offsets:
            for prefix in (b"xyz"[:offset], runtime.IDENTITY_PREFIX * offset):  # the identity cipher too
                for encode in (base64.b64encode, base64.urlsafe_b64encode):
                    haystack = noise + encode(prefix + text.encode()) + noise
                    assert found(haystack, CANARY_NEEDLES), f"{text!r} in base64 after {prefix!r} missed"


def test_the_search_does_not_fire_on_ciphertext_or_other_people() -> None:
    sealed = b"".join(
        base64.b64encode(crypto.seal(crypto.new_key(), text.encode(), b"ad"))
        for canary in CANARIES
        for text in all_spellings(canary)
    )
    other = "Ri Chol Su 리철수 Hamhung Unit 40001 Sergeant 1999-04 Lee Cheol-su Pak Yong Nam 박용남".encode()
    assert found(sealed + other, CANARY_NEEDLES) == []
