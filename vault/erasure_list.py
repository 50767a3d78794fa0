"""The erasure list: an append-only file, outside the database, of every crypto-shredded person.

A database restored from a backup taken before an erasure still holds that person's data key;
`passage person reapply-erasures` (run by `passage serve` at start-up too) shreds them again.
Entries hold references and row ids, never names.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings


@dataclass(frozen=True)
class ErasureEntry:
    entry_id: str
    reference: str
    person_id: int
    data_key_id: int | None


def list_path() -> Path:
    return Path(settings.PASSAGE_ERASURE_LIST)


def _append(record: dict[str, object]) -> None:
    path = list_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(record, sort_keys=True) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def record_intent(*, reference: str, person_id: int, data_key_id: int | None) -> ErasureEntry:
    entry = ErasureEntry(uuid.uuid4().hex, reference, person_id, data_key_id)
    _append(
        {
            "entry": entry.entry_id,
            "state": "erase",
            "reference": reference,
            "person_id": person_id,
            "data_key_id": data_key_id,
            "at": dt.datetime.now(dt.UTC).isoformat(),
        }
    )
    return entry


def record_cancelled(entry: ErasureEntry) -> None:
    _append({"entry": entry.entry_id, "state": "cancelled", "at": dt.datetime.now(dt.UTC).isoformat()})


def entries() -> list[ErasureEntry]:
    """Every erasure that took effect (its cancellation, if any, removes it)."""
    path = list_path()
    if not path.exists():
        return []
    wanted: dict[str, ErasureEntry] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if record["state"] == "erase":
                wanted[record["entry"]] = ErasureEntry(
                    record["entry"], record["reference"], int(record["person_id"]), record.get("data_key_id")
                )
            elif record["state"] == "cancelled":
                wanted.pop(record["entry"], None)
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{path}: line {number} is not a valid erasure record") from exc
    return list(wanted.values())
