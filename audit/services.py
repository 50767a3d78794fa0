"""Writing audit events, in the same transaction as the change they record, and checkpoints."""

from __future__ import annotations

import datetime as dt
import os
import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Membership, User
from audit import chain, signing
from audit.models import AuditEvent


def _partition() -> int:
    # One partition per thread of each process: a transaction never holds two partitions'
    # locks (no deadlocks), and concurrent writers rarely share one.
    return hash((os.getpid(), threading.get_ident())) % int(settings.PASSAGE_AUDIT_PARTITIONS)


@dataclass(frozen=True)
class AuditEntry:
    """One entry of `audit_record_many`: what `audit_record` takes besides the actor."""

    kind: str
    action: str
    object_type: str = ""
    object_id: str | int = ""
    case_reference: str = ""
    organisation_id: int | None = None
    changed_fields: Iterable[str] = ()
    purpose: str = ""
    channel: str = ""


def audit_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    kind: str,
    action: str,
    object_type: str = "",
    object_id: str | int = "",
    case_reference: str = "",
    organisation_id: int | None = None,
    changed_fields: Iterable[str] = (),
    purpose: str = "",
    channel: str = "",
) -> AuditEvent | None:
    """Append one entry to the log, linked into its partition's hash chain.

    On PostgreSQL the database sets `seq` and the hashes; the returned object does not carry them."""
    entry = AuditEntry(
        kind, action, object_type, object_id, case_reference, organisation_id, changed_fields, purpose, channel
    )
    events = audit_record_many(actor=actor, entries=[entry])
    return events[0] if events else None


def audit_record_many(
    *, actor: AbstractBaseUser | AnonymousUser | None, entries: Sequence[AuditEntry]
) -> list[AuditEvent]:
    """Append these entries, in order, to one partition's hash chain in one statement: what a disclosure
    check that names a thousand cases writes (one entry each) without a thousand round trips.

    On PostgreSQL the database sets `seq` and the hashes; the returned objects do not carry them."""
    if not settings.PASSAGE_AUDIT_ENABLED or not entries:
        return []  # benchmark mode only (checked at start-up)
    user = actor if isinstance(actor, User) and actor.pk is not None else None
    own_organisation: int | None = None
    if user is not None and any(entry.organisation_id is None for entry in entries):
        # Not about a case: the entry belongs to the actor's organisation, whose auditors see it.
        own_organisation = (
            Membership.objects.filter(user=user).order_by("pk").values_list("organisation_id", flat=True).first()
        )
    label = getattr(user, "email", "") if user is not None else ("anonymous" if actor is not None else "system")
    partition = _partition()
    now = timezone.now()
    events = []
    for entry in entries:
        event = AuditEvent(
            event_id=uuid.uuid4(),
            at=now,
            actor=user,
            actor_label=label,
            organisation_id=own_organisation if entry.organisation_id is None else entry.organisation_id,
            kind=entry.kind,
            action=entry.action,
            object_type=entry.object_type,
            object_id=str(entry.object_id),
            case_reference=entry.case_reference,
            changed_fields=sorted(set(entry.changed_fields)),
            purpose=entry.purpose,
            channel=entry.channel,
            partition=partition,
        )
        event.payload = chain.canonical_payload(payload_fields(event))
        events.append(event)
    if connection.vendor == "postgresql":
        # The BEFORE INSERT trigger links each row under the partition's row lock.
        if len(events) == 1:
            events[0].save()
        else:
            AuditEvent.objects.bulk_create(events)
        return events
    # SQLite: writers are serialised by the database (BEGIN IMMEDIATE), so no lock is needed here.
    with transaction.atomic():
        last = AuditEvent.objects.filter(partition=partition).order_by("-seq").values_list("seq", "entry_hash").first()
        seq, previous = (last[0], bytes(last[1])) if last else (0, chain.genesis_hash(partition))
        for event in events:
            seq += 1
            event.seq = seq
            event.prev_hash = previous
            event.entry_hash = chain.entry_hash(previous, event.payload)
            previous = event.entry_hash
        if len(events) == 1:
            events[0].save()
        else:
            AuditEvent.objects.bulk_create(events)
    return events


def payload_fields(event: AuditEvent) -> dict[str, Any]:
    """What the hash covers: every column a reader relies on, never a protected value."""
    return {
        "id": str(event.event_id),
        "at": event.at.astimezone(dt.UTC).isoformat(),
        "actor_id": event.actor_id,
        "actor": event.actor_label,
        "organisation": event.organisation_id,
        "kind": event.kind,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "case": event.case_reference,
        "fields": list(event.changed_fields),
        "purpose": event.purpose,
        "channel": event.channel,
        "partition": event.partition,
    }


def entries_in_chain_order() -> Iterator[chain.Entry]:
    rows = AuditEvent.objects.order_by("partition", "seq").values_list(
        "partition", "seq", "prev_hash", "entry_hash", "payload"
    )
    for partition, seq, prev_hash, entry_hash, payload in rows.iterator(chunk_size=5000):
        yield chain.Entry(partition, seq, bytes(prev_hash), bytes(entry_hash), payload)


def columns_match_payloads() -> chain.Problem | None:
    """The readable columns must say what the hashed payload says."""
    for event in AuditEvent.objects.order_by("partition", "seq").iterator(chunk_size=5000):
        if chain.canonical_payload(payload_fields(event)) != event.payload:
            return chain.Problem(event.partition, event.seq, "a column differs from the hashed content")
    return None


def checkpoint_write(*, directory: Path | None = None) -> tuple[Path, chain.Checkpoint]:
    """Sign the Merkle root over the whole log and write it to a file that can be copied away."""
    with transaction.atomic():
        checkpoint, problem = chain.checkpoint_for(entries_in_chain_order())
    if problem is not None:
        raise chain.CheckpointError(f"the log is broken, not signing it: {problem}")
    key = signing.private_key()
    text = chain.sign_checkpoint(checkpoint, key, signing.key_name())
    target = directory or Path(settings.PASSAGE_AUDIT_CHECKPOINT_DIR)
    target.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    path = target / f"checkpoint-{stamp}-{checkpoint.size}.txt"
    path.write_text(text, encoding="utf-8")
    (target / "latest.txt").write_text(text, encoding="utf-8")
    return path, checkpoint


def export_write(path: Path) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as handle, transaction.atomic():
        for entry in entries_in_chain_order():
            handle.write(chain.canonical_payload(entry.to_json()) + "\n")
            count += 1
    return count


def log_verify_live() -> tuple[bool, str]:
    """Verify the live log: chains, columns against payloads, and the latest signed checkpoint."""
    from audit.verify import verify_entries

    with transaction.atomic():
        entries = list(entries_in_chain_order())
        mismatch = columns_match_payloads()
    if mismatch is not None:
        return False, f"FAILED at {mismatch}"
    latest = Path(settings.PASSAGE_AUDIT_CHECKPOINT_DIR) / "latest.txt"
    checkpoint_text = latest.read_text(encoding="utf-8") if latest.exists() else None
    try:
        public_key = signing.load_public_key(signing.public_key_path()) if checkpoint_text else None
    except signing.SigningKeyError as exc:
        return False, f"FAILED: the checkpoint cannot be checked: {exc}"
    verdict = verify_entries(
        entries, checkpoint_text=checkpoint_text, public_key=public_key, key_name=signing.key_name()
    )
    return verdict.ok, verdict.message
