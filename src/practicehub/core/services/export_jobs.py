"""Large exports in the background, on the task worker that runs the imports and the reports.

An export whose rows pass ``EXPORT_BACKGROUND_ROWS`` (the observations export, the audit log
export, a page's table through ``PageDownloadMiddleware``) is not written in the request: the
view calls ``in_background``, which records an ``ExportJob`` (the download's address with its
query, who asked) and queues ``core.tasks.run_export_job``; the browser is sent to the job's page.
The worker asks the same address again as that person (``core/services/replay.py``), so the
same permission rule, scope, filters and suppression apply and the file is the one the request
would have answered. The file is kept in ``DATA_DIR/exports`` (folder 700, file 600) for
``REPORT_FILES_KEEP_HOURS`` and then deleted by the same cleanup as the PDF reports. Only the
person who asked opens the job and fetches the file; its download is audited as the export of
the address asked for, as the inline download is (docs/reports.md#large-exports).
"""

from __future__ import annotations

import datetime
import logging
import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import cast

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone

from practicehub.core.models import ExportJob, JobStatus
from practicehub.core.request_context import RequestContext, current_request
from practicehub.core.services import replay

logger = logging.getLogger(__name__)
WRITING = "Reading the rows and writing the file"
# An export takes seconds to minutes; one "running" for longer lost its worker (a hard kill).
STALLED_AFTER = datetime.timedelta(hours=1)
STALLED = "The server stopped while this file was being written. Ask for the download again."
FILENAME = re.compile(r'filename="([^"]+)"')


def keep_for() -> datetime.timedelta:
    return datetime.timedelta(hours=int(settings.REPORT_FILES_KEEP_HOURS))


def limit() -> int:
    return int(settings.EXPORT_BACKGROUND_ROWS)


def exports_dir() -> Path:
    folder = Path(settings.DATA_DIR) / "exports"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    return folder


def replaying(request: HttpRequest) -> bool:
    """Whether ``request`` is the worker's own run of an export job."""
    return getattr(request, "export_job", None) is not None


def in_background(request: HttpRequest, rows: int, title: str) -> HttpResponse | None:
    """Queue the export ``request`` asks for when it has more than ``EXPORT_BACKGROUND_ROWS``
    rows, answering the way to its page; ``None``: write it in the request."""
    if rows <= limit() or replaying(request) or not request.user.is_authenticated:
        return None
    job = submit(request, rows, title)
    return redirect("core:export_job", pk=job.pk)


def submit(request: HttpRequest, rows: int, title: str) -> ExportJob:
    from practicehub.core.tasks import run_export_job

    context = current_request.get()
    job = ExportJob.objects.create(
        title=title[:200], path=request.get_full_path()[:2000],
        host=f"{request.scheme}://{request.get_host()}", requested_by_id=cast(int, request.user.pk),
        rows_total=rows, params={"audit": {
            "request_id": context.request_id if context else "",
            "ip_address": context.ip_address if context else None}})
    job.task_id = str(run_export_job.enqueue(job.pk).id)
    job.save(update_fields=["task_id"])
    return job


def stored_path(job: ExportJob) -> Path | None:
    if not job.stored_file:
        return None
    path = Path(settings.DATA_DIR) / job.stored_file
    return path if path.is_file() else None


def _write(data: bytes, extension: str) -> Path:
    path = exports_dir() / f"{uuid.uuid4().hex}.{extension}"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(data)
    return path


@contextmanager
def _acting_as(job: ExportJob, request: HttpRequest) -> Iterator[None]:
    """Events of the run name the person who asked and their request, as if in it."""
    audit = job.params.get("audit", {})
    token = current_request.set(RequestContext(
        request_id=audit.get("request_id") or f"export-{job.pk}",
        ip_address=audit.get("ip_address"), request=request))
    try:
        yield
    finally:
        current_request.reset(token)


def _refusal(response: HttpResponseBase) -> str:
    """What the worker's answer says when it is not the file."""
    if response.status_code == 404:
        return "What this export holds is no longer in your scope; nothing was written."
    if response.status_code in (302, 403):
        return "Your roles no longer allow this export; nothing was written."
    text = getattr(response, "content", b"").decode("utf-8", "replace")
    if response.status_code == 400 and "html" not in str(response.get("Content-Type", "")):
        return f"The export was refused: {text[:400]}"
    return f"The export answered {response.status_code}; nothing was written."


def _fail(job: ExportJob, message: str) -> None:
    job.status, job.finished_at, job.error, job.stage = JobStatus.FAILED, timezone.now(), \
        message, ""
    job.save()


def _answer(job: ExportJob) -> HttpResponseBase:
    user: AbstractBaseUser = job.requested_by
    request = replay.build_request(job.path, user, job.host)
    request.export_job = job  # type: ignore[attr-defined]
    with _acting_as(job, request):
        return replay.get(request)


def run(job_id: int) -> str:
    """Write one queued export to its end, recording how it ended on the job."""
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    if job.finished:
        return str(job.status)
    job.status, job.started_at, job.stage = JobStatus.RUNNING, timezone.now(), WRITING
    job.save(update_fields=["status", "started_at", "stage"])
    try:
        response = _answer(job)
        disposition = str(response.get("Content-Disposition", ""))
        if response.status_code != 200 or not disposition.startswith("attachment"):
            _fail(job, _refusal(response))
            return str(job.status)
        found = FILENAME.search(disposition)
        name = found.group(1) if found else "export"
        path = _write(getattr(response, "content", b""), name.rsplit(".", 1)[-1][:8])
    except Exception as error:
        logger.exception("Export job %s failed", job.pk)
        _fail(job, f"The export stopped with an unexpected error ({type(error).__name__}: "
                   f"{error}). Administrators find the details in the server log under export "
                   f"job {job.pk}.")
        raise
    now = timezone.now()
    job.status, job.finished_at, job.expires_at, job.stage = (
        JobStatus.DONE, now, now + keep_for(), "Done")
    job.stored_file = str(path.relative_to(settings.DATA_DIR))
    job.file_name, job.file_size = name, path.stat().st_size
    job.content_type = str(response.get("Content-Type", "application/octet-stream"))
    job.save()
    delete_expired()
    return str(job.status)


def delete_expired(now: datetime.datetime | None = None) -> int:
    """Delete the export files kept past their time (the jobs stay, saying the file is gone) and
    mark jobs left running by a worker that is gone as failed."""
    now = now or timezone.now()
    ExportJob.objects.filter(status=JobStatus.RUNNING, started_at__lte=now - STALLED_AFTER
                             ).update(status=JobStatus.FAILED, finished_at=now, error=STALLED)
    deleted = 0
    for job in ExportJob.objects.filter(expires_at__lte=now).exclude(stored_file=""):
        (Path(settings.DATA_DIR) / job.stored_file).unlink(missing_ok=True)
        job.stored_file = ""
        job.save(update_fields=["stored_file"])
        deleted += 1
    return deleted
