"""The pathway configuration is checked before anything starts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from protection.checks import pathways_check

VALID = [
    {
        "code": "de",
        "name": "Example state",
        "countries": ["DE"],
        "steps": [
            {"source": "transferred", "target": "protection_granted", "roles": "receiving"},
            {"source": "protection_granted", "target": "settled", "roles": "resettlement", "guards": ["note_given"]},
        ],
    }
]


def test_the_built_in_pathways_pass(settings: pytest.FixtureRequest) -> None:
    settings.PASSAGE_PATHWAYS_FILE = ""  # type: ignore[attr-defined]
    assert pathways_check() == []


def test_a_valid_pathway_file_passes(settings: pytest.FixtureRequest, tmp_path: Path) -> None:
    path = tmp_path / "pathways.json"
    path.write_text(json.dumps(VALID), encoding="utf-8")
    settings.PASSAGE_PATHWAYS_FILE = str(path)  # type: ignore[attr-defined]
    assert pathways_check() == []


def test_an_unknown_guard_in_the_file_is_an_error_naming_it(settings: pytest.FixtureRequest, tmp_path: Path) -> None:
    broken = json.loads(json.dumps(VALID))
    broken[0]["steps"][1]["guards"] = ["trust_me"]
    path = tmp_path / "pathways.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    settings.PASSAGE_PATHWAYS_FILE = str(path)  # type: ignore[attr-defined]
    [error] = pathways_check()
    assert error.id == "protection.E002" and "trust_me" in error.msg


def test_a_missing_pathway_file_is_an_error(settings: pytest.FixtureRequest, tmp_path: Path) -> None:
    settings.PASSAGE_PATHWAYS_FILE = str(tmp_path / "absent.json")  # type: ignore[attr-defined]
    [error] = pathways_check()
    assert error.id == "protection.E001"
