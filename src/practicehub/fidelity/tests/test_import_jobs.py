"""A large observation import runs as a background job: queued by the request, run by the task
worker from the database queue, followed and finished on the job page."""

from __future__ import annotations

import re
import stat
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.tasks import TaskResultStatus
from django.test import Client
from django.urls import reverse
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from practicehub.core.models import ImportJob, JobStatus
from practicehub.core.services import jobs
from practicehub.fidelity.models import Observation, ObservationTool
from practicehub.fidelity.services.importing import CSV_FIELDS
from practicehub.testing.personas import Personas

GOOD = "r{n},fresno_worker,fresno_coach,coach,2025-01-10,home_visit,,,3,3,3,2,NA"
BAD_DATE = "r{n},fresno_worker,fresno_coach,coach,10/01/2025,home_visit,,,3,3,3,2,NA"


def _csv(tool: ObservationTool, *rows: str) -> bytes:
    codes = list(tool.behaviors.order_by("order").values_list("code", flat=True))
    return ("\n".join([",".join([*CSV_FIELDS, *codes]), *rows]) + "\n").encode()


def _upload(client: Client, tool: ObservationTool, content: bytes) -> Any:
    return client.post(reverse("fidelity:observation_import"), {
        "tool": tool.pk, "file_format": "csv",
        "file": SimpleUploadedFile("visits.csv", content, "text/csv")})


def _run_worker() -> None:
    """The library's own worker loop over the database queue, until the queue is empty.

    It closes and reopens its connection between tasks, as in production, so tests that run it
    commit their rows (``transaction=True``) rather than hold them in a transaction it would end.
    """
    Worker(queue_names=["*"], interval=0, batch=True, backend_name="default",
           startup_delay=False, max_tasks=None, worker_id="test-worker",
           excluded_queue_names=[]).run()


def test_a_file_over_the_threshold_is_queued_and_not_imported_in_the_request(
    personas: Personas, tool: ObservationTool, login_as: Any, settings: Any,
) -> None:
    settings.IMPORT_BACKGROUND_ROWS = 5
    client = login_as(personas.fresno.coach)
    response = _upload(client, tool, _csv(tool, *(GOOD.format(n=n) for n in range(6))))
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("core:job", args=[job.pk])
    assert Observation.objects.count() == 0
    assert (job.status, job.rows_total, job.file_name) == (JobStatus.QUEUED, 6, "visits.csv")
    task = DBTaskResult.objects.get(id=job.task_id)
    assert task.status == TaskResultStatus.READY
    assert task.args_kwargs == {"args": [job.pk], "kwargs": {}}
    stored = jobs.stored_path(job)
    assert stored.parent == settings.UPLOADS_DIR
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert stat.S_IMODE(stored.parent.stat().st_mode) == 0o700
    page = client.get(response["Location"]).content.decode()
    assert "Waiting for the task worker to start." in page
    assert 'hx-trigger="every 2s"' in page
    assert "<script>" not in page
    assert "style=" not in page


def test_a_file_at_the_threshold_still_imports_in_the_request(
    personas: Personas, tool: ObservationTool, login_as: Any, settings: Any,
) -> None:
    settings.IMPORT_BACKGROUND_ROWS = 5
    response = _upload(login_as(personas.fresno.coach), tool,
                       _csv(tool, *(GOOD.format(n=n) for n in range(5))))
    assert response["Location"] == reverse("fidelity:observations")
    assert Observation.objects.count() == 5
    assert not ImportJob.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_worker_imports_a_queued_file_and_the_page_shows_the_result_with_links(
    personas: Personas, tool: ObservationTool, login_as: Any, settings: Any,
) -> None:
    settings.IMPORT_BACKGROUND_ROWS = 5
    client = login_as(personas.fresno.coach)
    job_url = _upload(client, tool, _csv(tool, *(GOOD.format(n=n) for n in range(7))))["Location"]
    _run_worker()
    job = ImportJob.objects.get()
    assert (job.status, job.rows_done, job.rows_total) == (JobStatus.DONE, 7, 7)
    assert DBTaskResult.objects.get(id=job.task_id).status == TaskResultStatus.SUCCESSFUL
    assert Observation.objects.filter(status="submitted").count() == 7
    poll = client.get(job_url, headers={"HX-Request": "true"}).content.decode()
    assert "Imported 7 observations." in poll
    assert "every 2s" not in poll  # a finished job stops polling
    links = re.findall(r'href="/fidelity/observations/(\d+)/"', poll)
    assert sorted(map(int, links)) == sorted(Observation.objects.values_list("pk", flat=True))
    assert "<html" not in poll  # the poll answers only the status part


@pytest.mark.django_db(transaction=True)
def test_a_queued_file_with_problems_shows_them_located_as_the_form_does(
    personas: Personas, tool: ObservationTool, login_as: Any, settings: Any,
) -> None:
    settings.IMPORT_BACKGROUND_ROWS = 5
    client = login_as(personas.fresno.coach)
    rows = [GOOD.format(n=n) for n in range(6)] + [BAD_DATE.format(n=6)]
    job_url = _upload(client, tool, _csv(tool, *rows))["Location"]
    _run_worker()
    page = client.get(job_url).content.decode()
    assert "1 problem(s) found; nothing was imported." in page
    assert "<caption>Problems found; nothing was imported</caption>" in page
    assert ('<tr><th scope="row">8</th><td>observed_on</td>'
            "<td>not a date like 2025-03-31</td></tr>") in page
    assert Observation.objects.count() == 0
    assert ImportJob.objects.get().status == JobStatus.REFUSED


@pytest.mark.django_db(transaction=True)
def test_a_failure_in_the_task_is_recorded_on_the_job_with_a_clear_message(
    personas: Personas, tool: ObservationTool, login_as: Any, settings: Any,
) -> None:
    settings.IMPORT_BACKGROUND_ROWS = 5
    client = login_as(personas.fresno.coach)
    job_url = _upload(client, tool, _csv(tool, *(GOOD.format(n=n) for n in range(6))))["Location"]
    job = ImportJob.objects.get()
    jobs.stored_path(job).unlink()  # the data folder lost the file before the worker ran
    _run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert DBTaskResult.objects.get(id=job.task_id).status == TaskResultStatus.FAILED
    page = client.get(job_url).content.decode()
    assert "The import stopped with an unexpected error (FileNotFoundError" in page
    assert f"nothing was imported. Administrators find the details in the server log under " \
           f"import job {job.pk}." in page
    assert Observation.objects.count() == 0


def test_progress_reported_by_a_running_import_shows_on_the_page(
    personas: Personas, tool: ObservationTool, login_as: Any, settings: Any,
) -> None:
    settings.IMPORT_BACKGROUND_ROWS = 5
    client = login_as(personas.fresno.coach)
    job_url = _upload(client, tool, _csv(tool, *(GOOD.format(n=n) for n in range(6))))["Location"]
    job = ImportJob.objects.get()
    job.status = JobStatus.RUNNING
    job.save()
    seen: list[str] = []

    def watching(stage: str, done: int, total: int) -> None:
        report(stage, done, total)
        seen.append(client.get(job_url, headers={"HX-Request": "true"}).content.decode())

    report = jobs._Reporter(job)
    jobs.PROGRESS_EVERY, every = 0.0, jobs.PROGRESS_EVERY
    try:
        from practicehub.fidelity.services.importing import import_observations
        import_observations(jobs.stored_path(job).read_text(), tool, personas.fresno.coach,
                            progress=watching)
    finally:
        jobs.PROGRESS_EVERY = every
    assert "Checking rows: 3 of 6" in seen[2]
    assert '<progress id="job-progress" max="6" value="3">50%</progress>' in seen[2]
    assert "Importing: 4 of 6" in seen[9]
    assert 'hx-trigger="every 2s"' in seen[9]


def test_someone_else_s_job_answers_404_and_a_state_administrator_may_open_it(
    personas: Personas, tool: ObservationTool, login_as: Any, settings: Any,
) -> None:
    settings.IMPORT_BACKGROUND_ROWS = 5
    job_url = _upload(login_as(personas.fresno.coach), tool,
                      _csv(tool, *(GOOD.format(n=n) for n in range(6))))["Location"]
    for outsider in (personas.humboldt.coach, personas.fresno.lead, personas.fresno.practitioner,
                     personas.humboldt.regional_support):
        response = login_as(outsider).get(job_url)
        assert response.status_code == 404, outsider
        assert "visits.csv" not in response.content.decode()
    page = login_as(personas.state_admin).get(job_url).content.decode()
    assert "visits.csv" in page
    assert "Waiting for the task worker" in page
    assert Client().get(job_url).status_code == 302  # signed out: to the sign-in page
