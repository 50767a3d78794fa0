"""Tampering with a real log, both in an export handed to an auditor and in the live database.

The activity is real (services and pages); a checkpoint is signed and the log exported; then one
thing is changed at a time, and both `python -m audit.verify` (offline, on the export) and
`passage audit verify` (live) must name the first bad entry."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from audit import chain, signing
from audit.models import AuditEvent
from audit.services import checkpoint_write, columns_match_payloads, export_write
from audit.tests.helpers import (
    ENTRIES_PER_CASE,
    PARTITIONS,
    ROOT,
    Desk,
    delete_entry,
    make_activity,
    rebuild_partition,
    rewrite_action,
    rows,
    run_verifier,
    set_columns,
)
from conftest import World

TARGET = PARTITIONS[1][0]  # the middle partition of the activity
LAST = PARTITIONS[-1][0]


@dataclass
class Log:
    export: Path
    checkpoint: Path
    public_key: Path
    directory: Path
    size: int

    def verify(self, export: Path | None = None, checkpoint: Path | None = None) -> subprocess.CompletedProcess[str]:
        return run_verifier(
            "--export",
            export or self.export,
            "--checkpoint",
            checkpoint or self.checkpoint,
            "--public-key",
            self.public_key,
        )


def log_write(directory: Path) -> Log:
    """Sign a checkpoint of the live log and export it, as `passage audit checkpoint` and `export` do."""
    _path, checkpoint = checkpoint_write(directory=directory / "checkpoints")
    export = directory / "audit.jsonl"
    assert export_write(export) == AuditEvent.objects.count() == checkpoint.size
    return Log(export, directory / "checkpoints" / "latest.txt", signing.public_key_path(), directory, checkpoint.size)


@pytest.fixture(scope="module")
def exported(django_db_setup, django_db_blocker, tmp_path_factory: pytest.TempPathFactory) -> Log:
    """One export and checkpoint of real activity for every offline test; the database is left as it was."""
    directory = tmp_path_factory.mktemp("exported")
    with django_db_blocker.unblock(), transaction.atomic():
        make_activity(Desk.create())
        written = log_write(directory)
        transaction.set_rollback(True)
    return written


@pytest.fixture
def offline(exported: Log, tmp_path: Path) -> Log:
    """The shared export, with a private directory for the tampered copies."""
    return dataclasses.replace(exported, directory=tmp_path)


@pytest.fixture
def log(world: World, settings, tmp_path: Path) -> Log:
    settings.PASSAGE_AUDIT_CHECKPOINT_DIR = str(tmp_path / "checkpoints")
    make_activity(Desk.of(world))
    return log_write(tmp_path)


def read_lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def write_lines(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(chain.canonical_payload(record) + "\n" for record in records), encoding="utf-8")
    return path


def index_of(records: list[dict[str, Any]], partition: int, seq: int) -> int:
    return next(i for i, r in enumerate(records) if (r["partition"], r["seq"]) == (partition, seq))


def with_action(payload: str, action: str) -> str:
    fields = json.loads(payload)
    fields["action"] = action
    return chain.canonical_payload(fields)


def rehashed(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every hash recomputed from the payloads with audit.chain, consistently: the chains link again."""
    heads: dict[int, bytes] = {}
    result = []
    for record in records:
        entry = chain.Entry.from_json(record)
        entry.prev_hash = heads.get(entry.partition, chain.genesis_hash(entry.partition))
        entry.entry_hash = chain.entry_hash(entry.prev_hash, entry.payload)
        heads[entry.partition] = entry.entry_hash
        result.append(entry.to_json())
    return result


def verify_live() -> str:
    with pytest.raises(CommandError) as failure:
        call_command("audit", "verify")
    return str(failure.value)


# The activity itself


@pytest.mark.django_db
def test_the_activity_spreads_over_several_partitions_with_six_entries_each(log: Log) -> None:
    for partition, _family, _given in PARTITIONS:
        assert len(rows(partition)) >= ENTRIES_PER_CASE
    assert AuditEvent.objects.values("partition").distinct().count() >= 3


# The export, checked offline by `python -m audit.verify`


def test_the_untouched_export_verifies_offline(offline: Log) -> None:
    result = offline.verify()
    assert result.returncode == 0, result.stderr
    assert f"the first {offline.size} match the signed checkpoint" in result.stdout


def test_a_line_deleted_from_the_export_names_the_entry_after_it(offline: Log) -> None:
    records = read_lines(offline.export)
    del records[index_of(records, TARGET, 3)]
    result = offline.verify(write_lines(offline.directory / "deleted.jsonl", records))
    assert result.returncode == 1
    assert f"FAILED at partition {TARGET}, entry 4: expected entry 3" in result.stderr


def test_the_first_line_of_a_partition_deleted_from_the_export_is_named(offline: Log) -> None:
    records = read_lines(offline.export)
    del records[index_of(records, TARGET, 1)]
    result = offline.verify(write_lines(offline.directory / "deleted-first.jsonl", records))
    assert result.returncode == 1
    assert f"FAILED at partition {TARGET}, entry 2: expected entry 1" in result.stderr


def test_an_edited_payload_in_the_export_is_named(offline: Log) -> None:
    records = read_lines(offline.export)
    i = index_of(records, TARGET, 3)
    records[i]["payload"] = with_action(records[i]["payload"], "case.list")
    result = offline.verify(write_lines(offline.directory / "edited.jsonl", records))
    assert result.returncode == 1
    assert f"FAILED at partition {TARGET}, entry 3: content changed" in result.stderr


def test_two_swapped_lines_in_the_export_are_named(offline: Log) -> None:
    records = read_lines(offline.export)
    i = index_of(records, TARGET, 2)
    records[i], records[i + 1] = records[i + 1], records[i]
    result = offline.verify(write_lines(offline.directory / "swapped.jsonl", records))
    assert result.returncode == 1
    assert f"FAILED at partition {TARGET}, entry 3" in result.stderr


def test_a_duplicated_line_in_the_export_is_named(offline: Log) -> None:
    records = read_lines(offline.export)
    i = index_of(records, TARGET, 2)
    records.insert(i, records[i])
    result = offline.verify(write_lines(offline.directory / "duplicated.jsonl", records))
    assert result.returncode == 1
    assert f"FAILED at partition {TARGET}, entry 2: expected entry 3; entries out of order or repeated" in result.stderr


def test_a_cut_tail_of_the_export_is_caught_by_the_checkpoint(offline: Log) -> None:
    records = read_lines(offline.export)
    first_removed = records[-2]
    result = offline.verify(write_lines(offline.directory / "cut.jsonl", records[:-2]))
    assert result.returncode == 1
    assert f"FAILED at partition {first_removed['partition']}, entry {first_removed['seq']}: missing" in result.stderr


def test_without_a_checkpoint_a_cut_tail_passes_with_a_warning(offline: Log) -> None:
    cut = write_lines(offline.directory / "cut.jsonl", read_lines(offline.export)[:-2])
    result = run_verifier("--export", cut)
    assert result.returncode == 0
    assert "a cut-off tail or a rebuilt log is not ruled out" in result.stdout


def test_a_fully_recomputed_export_is_caught_by_the_checkpoint(offline: Log) -> None:
    records = read_lines(offline.export)
    i = index_of(records, TARGET, 3)
    records[i]["payload"] = with_action(records[i]["payload"], "case.list")
    forged = write_lines(offline.directory / "rebuilt.jsonl", rehashed(records))
    assert run_verifier("--export", forged).returncode == 0  # the chains alone are fooled
    result = offline.verify(forged)
    assert result.returncode == 1
    first = min(r["partition"] for r in records)
    assert f"FAILED at partition {first}, entry 1: the log does not match the signed checkpoint" in result.stderr
    assert "root differs" in result.stderr


def test_a_recomputed_export_with_a_checkpoint_signed_by_a_fresh_key_is_refused(offline: Log) -> None:
    records = read_lines(offline.export)
    i = index_of(records, TARGET, 3)
    records[i]["payload"] = with_action(records[i]["payload"], "case.list")
    forged_records = rehashed(records)
    forged = write_lines(offline.directory / "rebuilt.jsonl", forged_records)
    checkpoint, problem = chain.checkpoint_for(chain.Entry.from_json(r) for r in forged_records)
    assert problem is None
    forged_checkpoint = offline.directory / "forged-checkpoint.txt"
    forged_checkpoint.write_text(
        chain.sign_checkpoint(checkpoint, Ed25519PrivateKey.generate(), signing.key_name()), encoding="utf-8"
    )
    result = offline.verify(forged, forged_checkpoint)
    assert result.returncode == 1
    assert "FAILED: checkpoint: the checkpoint is not signed by the key 'passage-audit'" in result.stderr


def test_an_unreadable_export_exits_2(offline: Log) -> None:
    broken = offline.directory / "broken.jsonl"
    broken.write_text(offline.export.read_text(encoding="utf-8") + "not json\n", encoding="utf-8")
    result = offline.verify(broken)
    assert result.returncode == 2
    assert "cannot read the inputs" in result.stderr


def test_the_offline_verifier_imports_nothing_from_django(offline: Log) -> None:
    result = run_verifier("--export", offline.export)  # a smoke run, then the import check itself
    assert result.returncode == 0
    probe = subprocess.run(
        [sys.executable, "-c", "import sys, audit.verify; print(any(m.startswith('django') for m in sys.modules))"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert probe.stdout.strip() == "False"


# The live database, checked by `passage audit verify`


@pytest.mark.django_db
def test_the_untouched_live_log_verifies(log: Log, capsys) -> None:
    call_command("audit", "verify")
    assert f"the first {log.size} match the signed checkpoint" in capsys.readouterr().out


@pytest.mark.django_db
def test_a_row_deleted_from_the_live_log_names_the_entry_after_it(log: Log) -> None:
    delete_entry(rows(TARGET)[2])
    assert f"FAILED at partition {TARGET}, entry 4: expected entry 3" in verify_live()


@pytest.mark.django_db
def test_the_first_row_of_a_partition_deleted_from_the_live_log_is_named(log: Log) -> None:
    delete_entry(rows(TARGET)[0])
    assert f"FAILED at partition {TARGET}, entry 2: expected entry 1" in verify_live()


@pytest.mark.django_db
def test_an_edited_payload_in_the_live_log_is_named(log: Log) -> None:
    event = rows(TARGET)[2]
    set_columns(event, payload=with_action(event.payload, "case.list"))
    assert f"FAILED at partition {TARGET}, entry 3" in verify_live()


@pytest.mark.django_db
def test_an_entry_rewritten_consistently_in_column_and_payload_is_named(log: Log) -> None:
    rewrite_action(rows(TARGET)[2], "case.list")
    assert f"FAILED at partition {TARGET}, entry 3: content changed after it was written" in verify_live()


@pytest.mark.django_db
def test_two_swapped_rows_in_the_live_log_are_named(log: Log) -> None:
    second, third = rows(TARGET)[1:3]
    set_columns(second, seq=10**9)
    set_columns(third, seq=2)
    set_columns(second, seq=3)
    assert f"FAILED at partition {TARGET}, entry 2: does not link to the previous entry" in verify_live()


@pytest.mark.django_db
def test_a_cut_tail_of_the_live_log_is_caught_by_the_checkpoint(log: Log) -> None:
    tail = rows(LAST)[-2:]
    for event in tail:
        delete_entry(event)
    message = verify_live()
    assert f"FAILED at partition {LAST}, entry {tail[0].seq}: missing" in message


@pytest.mark.django_db
def test_a_fully_recomputed_live_log_is_caught_by_the_checkpoint(log: Log) -> None:
    rewrite_action(rows(TARGET)[2], "case.list")
    rebuild_partition(TARGET)
    assert columns_match_payloads() is None
    message = verify_live()
    assert "the log does not match the signed checkpoint (root differs: rebuilt or altered)" in message


@pytest.mark.django_db
def test_a_latest_checkpoint_replaced_by_one_signed_with_a_fresh_key_is_refused(log: Log) -> None:
    rewrite_action(rows(TARGET)[2], "case.list")
    rebuild_partition(TARGET)
    checkpoint, _problem = chain.checkpoint_for(
        chain.Entry.from_json(r) for r in read_lines(log.export)
    )  # any well-formed checkpoint will do
    log.checkpoint.write_text(
        chain.sign_checkpoint(checkpoint, Ed25519PrivateKey.generate(), signing.key_name()), encoding="utf-8"
    )
    assert "FAILED: checkpoint: the checkpoint is not signed by the key" in verify_live()


@pytest.mark.django_db
def test_a_readable_column_edited_while_the_payload_is_intact_is_caught(log: Log) -> None:
    event = rows(TARGET)[2]
    set_columns(event, action="case.list")
    problem = columns_match_payloads()
    assert problem is not None
    assert (problem.partition, problem.seq) == (TARGET, 3)
    assert f"FAILED at partition {TARGET}, entry 3: a column differs from the hashed content" in verify_live()


@pytest.mark.django_db
def test_a_changed_actor_label_is_caught_too(log: Log) -> None:
    set_columns(rows(TARGET)[1], actor_label="supervisor@a.test")
    assert f"FAILED at partition {TARGET}, entry 2: a column differs from the hashed content" in verify_live()
