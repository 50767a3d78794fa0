"""Many writers at once on PostgreSQL: the database links every entry under its partition's row lock,
so chains stay gapless and verifiable, and transactions that also write cases never deadlock."""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable

import pytest
from django.db import connection, transaction

from audit import chain, services
from audit.models import AuditEvent
from audit.services import audit_record, entries_in_chain_order
from conftest import World
from registry.models import Case
from registry.services import case_create

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="PostgreSQL only: SQLite serialises all writers, so there is no concurrency to test",
    ),
    pytest.mark.django_db(transaction=True),
]

THREADS = 8
PER_THREAD = 50


def run_at_once(work: Callable[[int], None]) -> None:
    """Start `work(i)` in THREADS threads at the same moment; each closes its own connection."""
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def target(number: int) -> None:
        try:
            barrier.wait(timeout=30)
            work(number)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(number,)) for number in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a writer hung (deadlock?)"
    assert errors == []


def record_many(number: int) -> None:
    for i in range(PER_THREAD):
        audit_record(
            actor=None, kind=AuditEvent.Kind.SECURITY, action="test.concurrent", purpose=f"writer {number} #{i}"
        )


def assert_chains_intact() -> dict[int, list[int]]:
    """Every partition verifies and its seqs run 1..n without gaps."""
    state, problem = chain.verify_chains(entries_in_chain_order())
    assert problem is None, str(problem)
    seqs: dict[int, list[int]] = defaultdict(list)
    for partition, seq in AuditEvent.objects.order_by("partition", "seq").values_list("partition", "seq"):
        seqs[partition].append(seq)
    for partition, found in seqs.items():
        assert found == list(range(1, len(found) + 1)), f"partition {partition} has gaps"
        assert state.sizes[partition] == len(found)
    return seqs


def test_eight_threads_writing_at_once_leave_gapless_verifiable_chains(world: World) -> None:
    before = AuditEvent.objects.count()
    run_at_once(record_many)
    assert AuditEvent.objects.count() == before + THREADS * PER_THREAD
    assert_chains_intact()
    used = AuditEvent.objects.filter(action="test.concurrent").values("partition").distinct().count()
    assert used > 1


def test_writers_forced_into_one_partition_queue_behind_its_lock_without_gaps(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "_partition", lambda: 7)
    before = AuditEvent.objects.filter(partition=7).count()
    run_at_once(record_many)
    assert AuditEvent.objects.filter(partition=7).count() == before + THREADS * PER_THREAD
    assert_chains_intact()


def test_transactions_that_write_cases_and_entries_at_once_all_commit_without_deadlocks(world: World) -> None:
    supervisor, organisation, team = world.user("supervisor_a"), world.org_a, world.team_a
    # Registering a person also records (and audits) possible duplicates: the writers' persons are
    # namesakes, so those entries are counted apart.
    entries = AuditEvent.objects.exclude(action="duplicate.found")
    cases_before, entries_before = Case.objects.count(), entries.count()
    blocks, records = 4, 5

    def work(number: int) -> None:
        for block in range(blocks):
            with transaction.atomic():
                case_create(
                    actor=supervisor,
                    organisation=organisation,
                    person={"family_name": "Ko", "given_name": f"Writer {number}-{block}"},
                    teams=[team],
                )
                for i in range(records):
                    audit_record(
                        actor=supervisor,
                        kind=AuditEvent.Kind.READ,
                        action="test.concurrent",
                        organisation_id=organisation.pk,
                        purpose=f"writer {number} block {block} #{i}",
                    )

    run_at_once(work)
    assert Case.objects.count() == cases_before + THREADS * blocks
    assert entries.count() == entries_before + THREADS * blocks * (1 + records)
    assert_chains_intact()
