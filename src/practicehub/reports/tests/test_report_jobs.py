"""The progress report button: the request queues a job, the task worker builds the PDF from the
database queue, the page follows it and hands the file to the asker alone; a site outside scope
answers 404, an unreadable period is refused naming it, and the file is deleted after its time."""

from __future__ import annotations

import datetime
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from practicehub.accounts.models import RoleAssignment
from practicehub.audit.models import AuditEvent
from practicehub.implementation.tests.world import build_world
from practicehub.reports.models import ReportJob, ReportStatus
from practicehub.reports.services import jobs
from practicehub.testing.personas import Personas


def _run_worker() -> None:
    """The library's own worker loop over the database queue, until the queue is empty (as
    fidelity's import job tests run it; their tests commit their rows, ``transaction=True``)."""
    Worker(queue_names=["*"], interval=0, batch=True, backend_name="default",
           startup_delay=False, max_tasks=None, worker_id="test-worker",
           excluded_queue_names=[]).run()


def pdf_text(data: bytes, folder: Path) -> str:
    path = folder / "report.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


@pytest.fixture
def no_outcome_data(settings: Any, tmp_path: Path) -> None:
    settings.OUTCOMES_DIR = tmp_path / "outcomes"


def _ask(client: Client, node_pk: int, period: str = "") -> Any:
    return client.post(reverse("reports:request", args=[node_pk]), {"period": period})


@pytest.mark.usefixtures("no_outcome_data")
@pytest.mark.django_db(transaction=True)
def test_the_button_queues_a_report_the_worker_builds_and_only_the_asker_downloads(
    personas: Personas, login_as: Any, tmp_path: Path,
) -> None:
    world = build_world(personas)
    lead, county = personas.fresno.lead, personas.fresno.county
    client = login_as(lead)
    page = client.get(reverse("accounts:node", args=[county.pk])).content.decode()
    assert "Progress report (PDF)" in page
    assert f'action="{reverse("reports:request", args=[county.pk])}"' in page

    response = _ask(client, county.pk, "26A26B")
    job = ReportJob.objects.get()
    assert response["Location"] == reverse("reports:job", args=[job.pk])
    assert (job.status, job.requested_by, job.node) == (ReportStatus.QUEUED, lead, county)
    assert DBTaskResult.objects.get(id=job.task_id).status == TaskResultStatus.READY
    waiting = client.get(response["Location"]).content.decode()
    assert "Waiting for the task worker to start." in waiting
    assert 'hx-trigger="every 2s"' in waiting

    _run_worker()
    job.refresh_from_db()
    assert job.status == ReportStatus.DONE, job.error
    assert DBTaskResult.objects.get(id=job.task_id).status == TaskResultStatus.SUCCESSFUL
    assert job.finished_at is not None
    assert job.expires_at == job.finished_at + datetime.timedelta(
        hours=settings.REPORT_FILES_KEEP_HOURS)
    poll = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert "The report is ready." in poll
    assert "every 2s" not in poll
    assert reverse("reports:download", args=[job.pk]) in poll

    download = client.get(reverse("reports:download", args=[job.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert f"progress-report-fresno-{timezone.localdate().isoformat()}.pdf" in \
        download["Content-Disposition"]
    text = pdf_text(download.content, tmp_path)
    assert "Progress report: Fresno County" in text
    assert "26A26B (2025-10-01 to 2026-09-30)" in text
    assert f"Produced by: {lead.get_full_name()} ({lead.username})" in text
    assert world.plan.title in text
    exported = AuditEvent.objects.filter(action="export", object_type="reports.reportjob")
    assert [(e.actor_id, e.object_id) for e in exported] == [(lead.pk, str(job.pk))]

    # Once the lead's role there is gone, so is the report.
    assignment = RoleAssignment.objects.get(user=lead)
    assignment.delete()
    assert client.get(reverse("reports:download", args=[job.pk])).status_code == 404
    assignment.save()

    # The report was built from the lead's scope: nobody else opens or downloads it.
    for other in (personas.fresno.coach, personas.state_admin):
        login_as(other)
        assert client.get(reverse("reports:job", args=[job.pk])).status_code == 404
        assert client.get(reverse("reports:download", args=[job.pk])).status_code == 404


@pytest.mark.usefixtures("no_outcome_data")
def test_a_site_outside_the_askers_scope_answers_404_and_queues_nothing(
    personas: Personas, login_as: Any,
) -> None:
    client = login_as(personas.humboldt.lead)
    assert _ask(client, personas.fresno.county.pk).status_code == 404
    assert _ask(login_as(personas.fresno.coach), personas.fresno.county.pk).status_code == 404
    assert not ReportJob.objects.exists()
    assert not DBTaskResult.objects.exists()


@pytest.mark.usefixtures("no_outcome_data")
def test_an_unreadable_period_is_refused_naming_it_and_queues_nothing(
    personas: Personas, login_as: Any,
) -> None:
    response = _ask(login_as(personas.fresno.lead), personas.fresno.county.pk, "2026Q9")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was queued" in page
    assert "Period “2026Q9” cannot be read: &#x27;2026Q9&#x27; is not a period" in page
    assert not ReportJob.objects.exists()


def _built(personas: Personas, *, hours_ago: float) -> ReportJob:
    path = jobs.write(b"%PDF-1.4 built earlier")
    finished = timezone.now() - datetime.timedelta(hours=hours_ago)
    return ReportJob.objects.create(
        node=personas.fresno.county, requested_by=personas.fresno.lead,
        status=ReportStatus.DONE, finished_at=finished, expires_at=finished + jobs.keep_for(),
        stored_file=str(path.relative_to(settings.DATA_DIR)), file_size=22)


@pytest.mark.usefixtures("no_outcome_data")
def test_a_file_past_its_keep_time_is_deleted_by_the_cleanup_and_the_page_says_so(
    personas: Personas, login_as: Any, settings: Any,
) -> None:
    settings.REPORT_FILES_KEEP_HOURS = 6
    old, fresh = _built(personas, hours_ago=7), _built(personas, hours_ago=5)
    old_path, fresh_path = jobs.stored_path(old), jobs.stored_path(fresh)
    assert old_path is not None
    assert fresh_path is not None
    call_command("report", "cleanup")
    assert not old_path.exists()
    assert fresh_path.exists()
    client = login_as(personas.fresno.lead)
    page = client.get(reverse("reports:job", args=[old.pk])).content.decode()
    assert "This report's file was deleted on" in page
    assert "6 hours after it was built" in page
    assert client.get(reverse("reports:download", args=[old.pk])).status_code == 404
    assert client.get(reverse("reports:download", args=[fresh.pk])).status_code == 200


@pytest.mark.usefixtures("no_outcome_data")
@pytest.mark.django_db(transaction=True)
def test_the_worker_deletes_files_past_their_time_when_it_builds_a_report(
    personas: Personas, login_as: Any,
) -> None:
    old = _built(personas, hours_ago=25)
    old_path = jobs.stored_path(old)
    assert old_path is not None
    _ask(login_as(personas.fresno.lead), personas.fresno.office.pk)
    _run_worker()
    assert ReportJob.objects.get(node=personas.fresno.office).status == ReportStatus.DONE
    assert not old_path.exists()
    old.refresh_from_db()
    assert old.stored_file == ""


def test_a_job_left_running_by_a_stopped_worker_is_marked_failed_by_the_cleanup(
    personas: Personas, login_as: Any,
) -> None:
    left = ReportJob.objects.create(node=personas.fresno.county, requested_by=personas.fresno.lead,
                                    status=ReportStatus.RUNNING,
                                    started_at=timezone.now() - datetime.timedelta(hours=2))
    running = ReportJob.objects.create(node=personas.fresno.county,
                                       requested_by=personas.fresno.lead,
                                       status=ReportStatus.RUNNING, started_at=timezone.now())
    call_command("report", "cleanup")
    page = login_as(personas.fresno.lead).get(reverse("reports:job", args=[left.pk]))
    assert "The server stopped while this report was being built. Ask for it again." in \
        page.content.decode()
    assert "every 2s" not in page.content.decode()
    running.refresh_from_db()
    assert running.status == ReportStatus.RUNNING


@pytest.mark.usefixtures("no_outcome_data")
def test_the_state_page_asks_for_the_statewide_edition_comparing_its_sites(
    personas: Personas, login_as: Any, tmp_path: Path,
) -> None:
    world = build_world(personas)
    state = personas.fresno.county.ancestors()[0]
    client = login_as(personas.state_admin)
    assert "Progress report (PDF)" in client.get(
        reverse("accounts:node", args=[state.pk])).content.decode()
    _ask(client, state.pk, "26A26B")
    job = ReportJob.objects.get()
    assert jobs.run(job.pk) == ReportStatus.DONE
    text = pdf_text(client.get(reverse("reports:download", args=[job.pk])).content, tmp_path)
    assert "Progress report: sites of California" in text
    assert "Sites compared: Fresno County" in text
    plans = re.search(rf"Fresno County +{re.escape(world.plan.title)} .*", text)
    assert plans is not None
