"""Large exports in the background: past ``EXPORT_BACKGROUND_ROWS`` (lowered here so a small
world crosses it) the observations export, the audit log export and a page's table are written
by the task worker; the page follows the job, the file equals the one the request answers under
the limit, its download is audited as that export is, only the asker fetches it (others 404),
and the file is deleted after its time by the reports' cleanup."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from openpyxl import load_workbook

from practicehub.audit.actions import Action
from practicehub.audit.models import AuditEvent
from practicehub.audit.services import record_event
from practicehub.core.models import ExportJob, JobStatus
from practicehub.core.services import export_jobs
from practicehub.testing.personas import Personas
from tests.roleworld import build_role_world


def _run_worker() -> None:
    Worker(queue_names=["*"], interval=0, batch=True, backend_name="default",
           startup_delay=False, max_tasks=None, worker_id="test-worker",
           excluded_queue_names=[]).run()


def _exports(user: Any) -> list[tuple[str, str, str]]:
    return [(e.object_type, e.object_id, e.object_label) for e in AuditEvent.objects.filter(
        action=Action.EXPORT, actor=user).order_by("pk")]


def _background(client: Client, path: str, query: dict[str, str]) -> tuple[ExportJob, Any]:
    """Ask past the limit: the answer sends to the job's page, the worker writes the file."""
    answer = client.get(path, query)
    job = ExportJob.objects.latest("pk")
    assert answer.status_code == 302
    assert answer["Location"] == reverse("core:export_job", args=[job.pk])
    waiting = client.get(answer["Location"]).content.decode()
    assert "Waiting for the task worker to start." in waiting
    assert 'hx-trigger="every 2s"' in waiting
    _run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    page = client.get(answer["Location"]).content.decode()
    assert "The file is ready." in page
    assert f'href="{reverse("core:export_download", args=[job.pk])}"' in page
    return job, client.get(reverse("core:export_download", args=[job.pk]))


@pytest.mark.django_db(transaction=True)
def test_a_large_observations_export_is_written_by_the_worker_and_equals_the_inline_file(
        personas: Personas, login_as: Any, settings: Any) -> None:
    build_role_world(personas)
    coach = personas.fresno.coach
    client = login_as(coach)
    path = reverse("fidelity:observation_export")
    inline = client.get(path, {"format": "csv"})
    assert inline["Content-Disposition"] == 'attachment; filename="observations.csv"'
    assert inline.content.decode("utf-8-sig").count("\r\n") == 2  # the header and one row
    inline_audit = _exports(coach)
    assert len(inline_audit) == 1

    settings.EXPORT_BACKGROUND_ROWS = 0
    job, download = _background(client, path, {"format": "csv"})
    assert (job.title, job.rows_total, job.requested_by) == ("Observations", 1, coach)
    assert download["Content-Disposition"] == 'attachment; filename="observations.csv"'
    assert download.content == inline.content
    # Audited as the inline download: the same address, the same record of it.
    assert _exports(coach) == inline_audit * 2

    other = Client()
    other.force_login(personas.fresno.lead)
    assert other.get(reverse("core:export_job", args=[job.pk])).status_code == 404
    assert other.get(reverse("core:export_download", args=[job.pk])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_large_audit_export_in_excel_holds_the_inline_rows(
        personas: Personas, login_as: Any, settings: Any) -> None:
    for person in (personas.fresno.coach, personas.fresno.evaluator):
        record_event(Action.VIEW, object_type="accounts.user", object_id=str(person.pk))
    client = login_as(personas.state_admin)
    query = {"action": "view", "format": "xlsx"}
    inline = load_workbook(io.BytesIO(client.get(reverse("audit:export"), query).content))
    settings.EXPORT_BACKGROUND_ROWS = 1
    job, download = _background(client, reverse("audit:export"), query)
    assert job.rows_total == 2
    assert download["Content-Disposition"] == 'attachment; filename="audit-log.xlsx"'
    written = load_workbook(io.BytesIO(download.content))
    for name in ("Audit log", "About"):
        assert ([list(row) for row in written[name].iter_rows(values_only=True)]
                == [list(row) for row in inline[name].iter_rows(values_only=True)])
    assert len(list(written["Audit log"].iter_rows())) == 3


@pytest.mark.django_db(transaction=True)
def test_a_large_page_table_goes_to_the_worker_and_its_file_is_deleted_after_its_time(
        personas: Personas, login_as: Any, settings: Any) -> None:
    for person in (personas.fresno.coach, personas.fresno.evaluator):
        record_event(Action.VIEW, object_type="accounts.user", object_id=str(person.pk))
    admin = personas.state_admin
    client = login_as(admin)
    query = {"action": "view", "download": "audit-events", "format": "csv"}
    inline = client.get(reverse("audit:events"), query)
    settings.EXPORT_BACKGROUND_ROWS = 1
    job, download = _background(client, reverse("audit:events"), query)
    assert download.content == inline.content
    # The name counts every event of the log, which the inline download itself added to.
    assert download["Content-Disposition"].startswith('attachment; filename="audit-events-')
    labels = [label for _type, _id, label in _exports(admin)]
    assert labels[-1] == labels[0]
    assert "download=audit-events" in labels[-1]

    stored = export_jobs.stored_path(job)
    assert stored is not None
    assert stored.stat().st_mode & 0o777 == 0o600
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now()
                                               - datetime.timedelta(minutes=1))
    call_command("report", "cleanup")
    assert not stored.exists()
    page = client.get(reverse("core:export_job", args=[job.pk])).content.decode()
    assert "This file was deleted on" in page
    assert client.get(reverse("core:export_download", args=[job.pk])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_an_export_no_longer_allowed_fails_saying_so(
        personas: Personas, login_as: Any, settings: Any) -> None:
    record_event(Action.VIEW, object_type="accounts.user", object_id="1")
    admin = personas.state_admin
    settings.EXPORT_BACKGROUND_ROWS = 0
    login_as(admin).get(reverse("audit:export"), {"format": "csv"})
    admin.role_assignments.all().delete()
    _run_worker()
    job = ExportJob.objects.get()
    assert job.status == JobStatus.FAILED
    assert job.error == "Your roles no longer allow this export; nothing was written."
    assert job.stored_file == ""
