"""`passage match pairs FILE.csv`: scores appended, labels evaluated, bad input refused."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_pairs_are_written_back_with_score_and_match_columns(tmp_path):
    source = _write(tmp_path / "pairs.csv", "id,left,right\n1,김철수,Kim Chol-su\n2,김정은,김정일\n")
    output = tmp_path / "out.csv"
    call_command("match", "pairs", str(source), "--output", str(output))
    rows = list(csv.DictReader(output.open(encoding="utf-8")))
    assert list(rows[0]) == ["id", "left", "right", "score", "match"]
    assert [row["match"] for row in rows] == ["1", "0"]
    assert 0.0 <= float(rows[1]["score"]) < 0.5 <= float(rows[0]["score"]) <= 1.0


def test_without_output_the_csv_goes_to_stdout_and_labels_are_evaluated(tmp_path):
    source = _write(tmp_path / "pairs.csv", "left,right,label\n김철수,Kim Chol-su,1\n이철수,임철수,0\n")
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("match", "pairs", str(source), stdout=stdout, stderr=stderr)
    assert stdout.getvalue().splitlines()[0] == "left,right,label,score,match"
    assert "precision 1.0000, recall 1.0000, F1 1.0000" in stderr.getvalue()


def test_a_threshold_of_zero_matches_everything(tmp_path):
    source = _write(tmp_path / "pairs.csv", "left,right\n김철수,박영희\n")
    stdout = io.StringIO()
    call_command("match", "pairs", str(source), "--threshold", "0", stdout=stdout)
    assert stdout.getvalue().splitlines()[1].endswith(",1")


def test_a_missing_column_is_named(tmp_path):
    source = _write(tmp_path / "pairs.csv", "left,other\n김철수,Kim\n")
    with pytest.raises(CommandError, match="missing column 'right'") as error:
        call_command("match", "pairs", str(source))
    assert error.value.returncode != 0


def test_a_bad_label_names_its_line(tmp_path):
    source = _write(tmp_path / "pairs.csv", "left,right,label\n김철수,Kim Chol-su,yes\n")
    with pytest.raises(CommandError, match="line 2: column 'label'"):
        call_command("match", "pairs", str(source))


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("match", "pairs", str(tmp_path / "nowhere.csv"))


def test_a_threshold_outside_zero_to_one_is_refused(tmp_path):
    source = _write(tmp_path / "pairs.csv", "left,right\n김철수,Kim\n")
    with pytest.raises(CommandError, match="--threshold"):
        call_command("match", "pairs", str(source), "--threshold", "2")


def test_hand_made_pairs_keep_their_note_column_and_are_evaluated(tmp_path):
    source = Path(__file__).resolve().parent / "data" / "korean_name_pairs_handmade_a.csv"
    output = tmp_path / "out.csv"
    stderr = io.StringIO()
    call_command("match", "pairs", str(source), "--output", str(output), stderr=stderr)
    rows = list(csv.DictReader(output.open(encoding="utf-8")))
    assert list(rows[0]) == ["left", "right", "label", "note", "score", "match"]
    f1 = float(stderr.getvalue().rsplit("F1 ", 1)[1].split()[0])
    assert f1 >= 0.97
