"""`audit_record_many`: many entries in one statement, chained exactly as one by one."""

from __future__ import annotations

import pytest

from audit.models import AuditEvent
from audit.services import AuditEntry, audit_record, audit_record_many, log_verify_live
from conftest import World


def _entries(count: int, world: World) -> list[AuditEntry]:
    return [
        AuditEntry(
            kind=AuditEvent.Kind.READ,
            action="disclosure_check_named",
            object_type="case",
            object_id=index,
            case_reference=f"REF-{index}",
            organisation_id=world.case_a.organisation_id,
        )
        for index in range(count)
    ]


@pytest.mark.django_db(transaction=True)
def test_many_entries_join_the_chain_in_order_and_the_log_still_verifies(world: World) -> None:
    actor = world.user("caseworker_a")
    audit_record(actor=actor, kind=AuditEvent.Kind.READ, action="before")
    before = AuditEvent.objects.count()
    audit_record_many(actor=actor, entries=_entries(250, world))
    audit_record(actor=actor, kind=AuditEvent.Kind.READ, action="after")
    written = list(AuditEvent.objects.filter(action="disclosure_check_named").order_by("partition", "seq"))
    assert AuditEvent.objects.count() == before + 251
    assert [event.object_id for event in written] == [str(index) for index in range(250)]
    assert all(event.actor == actor and event.organisation_id == world.case_a.organisation_id for event in written)
    seqs = [event.seq for event in written]
    assert seqs == list(range(seqs[0], seqs[0] + 250))  # consecutive in one partition's chain
    ok, message = log_verify_live()
    assert ok, message


@pytest.mark.django_db
def test_no_entries_write_nothing(world: World) -> None:
    before = AuditEvent.objects.count()
    assert audit_record_many(actor=world.user("caseworker_a"), entries=[]) == []
    assert AuditEvent.objects.count() == before
