"""Long web imports run in the background and show their progress; short ones finish at once."""

from __future__ import annotations

import threading
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from conftest import World, persons_named, verified_client
from registry.models import Case, ImportJob


def csv_upload(rows: int, *, bad_line: int | None = None) -> SimpleUploadedFile:
    lines = ["family_name,given_name,date_of_birth"]
    for index in range(rows):
        date = "1999-13" if bad_line is not None and index + 2 == bad_line else "1990"
        lines.append(f"Kim,Il Nam {index},{date}")
    return SimpleUploadedFile("persons.csv", ("\n".join(lines) + "\n").encode(), content_type="text/csv")


@pytest.fixture
def small_inline_limit(settings) -> None:
    settings.PASSAGE_IMPORT_INLINE_ROWS = 3


@pytest.mark.django_db
def test_a_long_import_becomes_a_job_whose_page_shows_the_result(world: World, small_inline_limit) -> None:
    client = verified_client(world.user("caseworker_a"))
    before = Case.objects.count()
    response = client.post("/cases/import/", {"organisation": world.org_a.pk, "file": csv_upload(5)})
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cases/import/jobs/{job.pk}/"
    assert (job.status, job.total, job.done, job.file_kind) == ("done", 5, 5, "csv")
    assert Case.objects.count() == before + 5
    page = client.get(response["Location"]).content.decode()
    assert "Imported 5 persons." in page
    assert "hx-trigger" not in page  # finished: the page stops polling


@pytest.mark.django_db
def test_a_bad_row_in_a_long_file_is_reported_at_once_without_a_job(world: World, small_inline_limit) -> None:
    client = verified_client(world.user("caseworker_a"))
    response = client.post("/cases/import/", {"organisation": world.org_a.pk, "file": csv_upload(6, bad_line=4)})
    assert response.status_code == 400
    assert not ImportJob.objects.exists()
    assert not persons_named("Il Nam 0")


@pytest.mark.django_db
def test_a_running_job_polls_and_shows_a_progress_bar(world: World) -> None:
    job = ImportJob.objects.create(
        organisation=world.org_a,
        actor=world.user("caseworker_a"),
        file_kind="csv",
        file_size=10,
        status=ImportJob.Status.IMPORTING,
        total=200,
        done=50,
    )
    html = verified_client(world.user("caseworker_a")).get(f"/cases/import/jobs/{job.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in html
    assert '<progress max="100" value="25"' in html
    assert "50 of 200 persons" in html


@pytest.mark.django_db
def test_only_the_person_who_started_a_job_sees_it(world: World) -> None:
    job = ImportJob.objects.create(
        organisation=world.org_a, actor=world.user("caseworker_a"), file_kind="csv", file_size=10
    )
    for other in ("supervisor_a", "caseworker_b", "auditor_a"):
        assert verified_client(world.user(other)).get(f"/cases/import/jobs/{job.pk}/").status_code == 404
    assert Client().get(f"/cases/import/jobs/{job.pk}/").status_code == 302


@pytest.mark.django_db(transaction=True)
def test_a_job_runs_in_a_background_thread_and_keeps_no_file_content(world: World, settings) -> None:
    settings.PASSAGE_TASKS_INLINE = False
    settings.PASSAGE_IMPORT_INLINE_ROWS = 3
    client = verified_client(world.user("caseworker_a"))
    response = client.post("/cases/import/", {"organisation": world.org_a.pk, "file": csv_upload(30)})
    assert response.status_code == 302
    job = ImportJob.objects.get()
    deadline = time.monotonic() + 60
    while job.is_running and time.monotonic() < deadline:
        time.sleep(0.2)
        job.refresh_from_db()
    for thread in threading.enumerate():
        if thread.name == f"import-{job.pk}":
            thread.join(timeout=30)  # it closes its own database connection last
    assert (job.status, job.done) == ("done", 30)
    assert "Il Nam" not in str(ImportJob.objects.values().get())
    assert len(persons_named(*[f"Il Nam {index}" for index in range(30)])) == 30
