"""Web imports in the background: the page shows progress while the rows are checked and imported.

The uploaded bytes stay in memory (never on disk or in the database: they hold names); the job
row keeps only counts and the line/column/reason of each problem.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from accounts.models import Organisation, User
from accounts.policy import Action, may_act_in_organisation
from passage.errors import NotPermitted
from registry.importing import ImportFileError, RowError, persons_import
from registry.models import ImportJob
from vault.runtime import key_scope

logger = logging.getLogger("passage.import")
PROGRESS_EVERY = 25


def import_job_start(*, actor: User, organisation: Organisation, data: bytes, filename: str) -> ImportJob:
    if not may_act_in_organisation(actor, Action.IMPORT, organisation):
        raise NotPermitted("You may not import persons into this organisation.")
    job = ImportJob.objects.create(
        organisation=organisation,
        actor=actor,
        file_kind="xlsx" if filename.lower().endswith(".xlsx") or data[:2] == b"PK" else "csv",
        file_size=len(data),
    )
    if settings.PASSAGE_TASKS_INLINE or connection.in_atomic_block:
        _run(job.pk, actor, organisation, data, filename)  # inside a transaction a thread could not see the job
    else:
        threading.Thread(
            target=_run_in_thread,
            args=(job.pk, actor, organisation, data, filename),
            name=f"import-{job.pk}",
            daemon=True,
        ).start()
    return job


def _run_in_thread(job_id: int, actor: User, organisation: Organisation, data: bytes, filename: str) -> None:
    try:
        _run(job_id, actor, organisation, data, filename)
    finally:
        connection.close()  # this thread's own connection


def _errors(errors: list[RowError]) -> list[dict[str, object]]:
    return [{"line": error.line, "column": error.column, "reason": str(error.reason)} for error in errors]


def _run(job_id: int, actor: User, organisation: Organisation, data: bytes, filename: str) -> None:
    def validated(total: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(status=ImportJob.Status.IMPORTING, total=total)

    progress = {"done": 0}

    def advanced(step: int) -> None:
        # The rows are written in one transaction, invisible to other connections until it
        # commits (and on SQLite it holds the only write lock): the count goes to the cache.
        progress["done"] += step
        if progress["done"] % PROGRESS_EVERY == 0:
            cache.set(progress_key(job_id), progress["done"], timeout=3600)

    try:
        with key_scope():
            report = persons_import(
                actor=actor,
                organisation=organisation,
                data=data,
                filename=filename,
                channel="web",
                on_validated=validated,
                on_progress=advanced,
            )
        if report.is_valid:
            ImportJob.objects.filter(pk=job_id).update(
                status=ImportJob.Status.DONE,
                done=len(report.rows),
                total=len(report.rows),
                possible_duplicates=report.possible_duplicates,
                finished_at=timezone.now(),
            )
        else:
            ImportJob.objects.filter(pk=job_id).update(
                status=ImportJob.Status.REFUSED, errors=_errors(report.errors), finished_at=timezone.now()
            )
    except ImportFileError as exc:
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportJob.Status.REFUSED,
            errors=[{"line": 0, "column": "", "reason": str(exc)}],
            finished_at=timezone.now(),
        )
    except Exception:
        logger.exception("import job %s failed", job_id)
        ImportJob.objects.filter(pk=job_id).update(status=ImportJob.Status.FAILED, finished_at=timezone.now())


def progress_key(job_id: int) -> str:
    return f"passage:import-progress:{job_id}"


def import_job_progress(job: ImportJob) -> ImportJob:
    """The job with its live count of imported rows while it runs."""
    if job.status == ImportJob.Status.IMPORTING:
        job.done = int(cache.get(progress_key(job.pk), job.done))
    return job
