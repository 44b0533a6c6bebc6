"""Report jobs: a progress report asked for on a page is built by the task worker.

``submit`` checks what was asked (the site in the person's scope, a readable period) before
anything is queued, records a ``ReportJob`` and queues ``reports.tasks.run_report_job``. The
worker builds the report as the person who asked (their scope, their suppression), keeps the
PDF in ``REPORTS_DIR`` (folder 700, file 600) and marks it to be deleted after
``REPORT_FILES_KEEP_HOURS``; every run of the task, and ``practicehub report cleanup``, deletes
the files past their time.
"""

from __future__ import annotations

import datetime
import logging
import os
import uuid
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from practicehub.accounts.models import OrgNode, User
from practicehub.core.services import export_jobs
from practicehub.outcomes.services.dashboard_periods import federal_label
from practicehub.reports.models import ReportJob, ReportStatus
from practicehub.reports.services import content, document, pdf

logger = logging.getLogger(__name__)
RENDER_STEP = "Drawing the charts and writing the PDF"


def keep_for() -> datetime.timedelta:
    return datetime.timedelta(hours=int(settings.REPORT_FILES_KEEP_HOURS))


def reports_dir() -> Path:
    folder = Path(settings.REPORTS_DIR)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    return folder


def submit(user: User, node: OrgNode, period_code: str = "") -> ReportJob:
    """Queue the report of ``node`` for ``user``; ``Refused`` (naming the period) or
    ``OutsideScope`` before anything is recorded."""
    from practicehub.reports.tasks import run_report_job

    site = content.find_site(node.code, user)
    period = content.find_period(period_code, timezone.localdate())
    job = ReportJob.objects.create(node=site, period=period_code.strip(),
                                   period_label=federal_label(period), requested_by=user,
                                   steps_total=len(content.SECTIONS) + 1)
    job.task_id = str(run_report_job.enqueue(job.pk).id)
    job.save(update_fields=["task_id"])
    return job


def write(data: bytes) -> Path:
    """Keep a report's bytes in the reports folder, readable by the server's user only."""
    path = reports_dir() / f"{uuid.uuid4().hex}.pdf"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(data)
    return path


def stored_path(job: ReportJob) -> Path | None:
    if not job.stored_file:
        return None
    path = Path(settings.DATA_DIR) / job.stored_file
    return path if path.is_file() else None


def _progress(job: ReportJob) -> document.Progress:
    def report(stage: str, done: int, total: int) -> None:
        ReportJob.objects.filter(pk=job.pk).update(stage=stage[:80], steps_done=done,
                                                   steps_total=total + 1)

    return report


def run(job_id: int) -> str:
    """Build one queued report to its end, recording how it ended on the job."""
    job = ReportJob.objects.select_related("node", "requested_by").get(pk=job_id)
    if job.finished:
        return str(job.status)
    job.status, job.started_at, job.stage = ReportStatus.RUNNING, timezone.now(), "Starting"
    job.save(update_fields=["status", "started_at", "stage"])
    try:
        today = timezone.localdate()
        site = content.find_site(job.node.code, job.requested_by)
        report = content.build(site, content.find_period(job.period, today), job.requested_by,
                               today=today, progress=_progress(job))
        ReportJob.objects.filter(pk=job.pk).update(stage=RENDER_STEP)
        path = write(pdf.render(report))
    except Exception as error:
        logger.exception("Report job %s failed", job.pk)
        job.refresh_from_db()
        job.status, job.finished_at = ReportStatus.FAILED, timezone.now()
        job.error = (f"The report stopped with an unexpected error ({type(error).__name__}: "
                     f"{error}). Administrators find the details in the server log under report "
                     f"job {job.pk}.")
        job.save()
        raise
    job.refresh_from_db()
    now = timezone.now()
    job.status, job.finished_at, job.expires_at = ReportStatus.DONE, now, now + keep_for()
    job.stored_file = str(path.relative_to(settings.DATA_DIR))
    job.file_size = path.stat().st_size
    job.steps_done = job.steps_total
    job.stage = "Done"
    job.save()
    delete_expired()
    return str(job.status)


# A report takes seconds to a few minutes; one "running" for longer lost its worker (a hard kill).
STALLED_AFTER = datetime.timedelta(hours=1)
STALLED = "The server stopped while this report was being built. Ask for it again."


def delete_expired(now: datetime.datetime | None = None) -> int:
    """Delete the report files kept past their time (the jobs stay, saying the file is gone),
    and those of large exports (``core/services/export_jobs.py``), and mark jobs left running
    by a worker that is gone as failed, so their page stops waiting."""
    now = now or timezone.now()
    ReportJob.objects.filter(status=ReportStatus.RUNNING, started_at__lte=now - STALLED_AFTER
                             ).update(status=ReportStatus.FAILED, finished_at=now, error=STALLED)
    deleted = 0
    for job in ReportJob.objects.filter(expires_at__lte=now).exclude(stored_file=""):
        path = Path(settings.DATA_DIR) / job.stored_file
        path.unlink(missing_ok=True)
        job.stored_file = ""
        job.save(update_fields=["stored_file"])
        deleted += 1
    return deleted + export_jobs.delete_expired(now)  # large exports' files: the same cleanup

