"""Background import jobs, one mechanism for every area (docs/architecture.md#long-jobs).

A web import of more rows than ``IMPORT_BACKGROUND_ROWS`` is not run in the request: the view
calls ``submit``, which keeps the file in the data folder, records an ``ImportJob`` and queues
``core.tasks.run_import_job`` on the database task queue; the page then follows the job.

An area runs its kind of job through a runner it lists in ``<app>/jobs.py`` as
``JOB_RUNNERS = {kind: runner}``. A runner gets the job, the file's text and a ``Progress``
callback; it returns a ``JobResult`` or raises ``JobRefused`` with located problems. Anything else
it raises is recorded on the job as a failure with a clear message, then re-raised so the task
queue records it too: a job never ends without saying how.
"""

from __future__ import annotations

import csv
import io
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.cache import cache
from django.db import connection
from django.dispatch import Signal
from django.http import HttpRequest
from django.utils import timezone

from practicehub.core.app_modules import app_modules
from practicehub.core.errors import Located, Refused
from practicehub.core.models import ImportJob, JobStatus
from practicehub.core.request_context import RequestContext, current_request
from practicehub.core.uploads import store_upload

logger = logging.getLogger(__name__)

# Told (stage, rows done, rows to do) as a job goes.
Progress = Callable[[str, int, int], None]
LINKS_KEPT = 100  # links to imported records kept on the job; the rest are one link away
PROGRESS_EVERY = 0.5  # seconds between progress reports
# Sent (sender ``ImportJob``, ``job=``) once a job is recorded and queued; audit records it as the
# submitter's ``create`` (audit/signals.py), as it records sign-ins from Django's auth signals.
job_submitted = Signal()
STOPPED = ("The server stopped while this import ran; nothing was imported. "
           "Upload the file again.")


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class JobResult:
    summary: str
    count: int
    links: list[Link] = field(default_factory=list)
    more: Link | None = None  # where to see everything the job made


class JobRefused(Refused):
    """The file had problems; nothing was imported. ``problems``: dicts of row, column, message."""

    def __init__(self, message: str, problems: list[dict[str, Any]]) -> None:
        self.problems = problems
        super().__init__(message, [Located(str(p.get("message", "")), line=p.get("row"),
                                           column=p.get("column")) for p in problems])


Runner = Callable[[ImportJob, str, Progress], JobResult]


def runners() -> dict[str, Runner]:
    found: dict[str, Runner] = {}
    for _config, module in app_modules("jobs"):
        found.update(getattr(module, "JOB_RUNNERS", {}))
    return found


def count_rows(text: str, stop_after: int | None = None) -> int:
    """Records in a CSV text after its header (counting stops past ``stop_after``)."""
    rows = -1
    for rows, _record in enumerate(csv.reader(io.StringIO(text))):
        if stop_after is not None and rows > stop_after:
            break
    return max(rows, 0)


def runs_in_background(text: str) -> bool:
    limit = int(settings.IMPORT_BACKGROUND_ROWS)
    return count_rows(text, stop_after=limit) > limit


def submit(kind: str, user: AbstractBaseUser, text: str, *, file_name: str, title: str,
           params: dict[str, Any]) -> ImportJob:
    """Keep the file, record the job and queue it; the request returns at once."""
    from practicehub.core.tasks import run_import_job

    if kind not in runners():
        raise ValueError(f"no area runs import jobs of kind {kind!r}")
    path = store_upload(text.encode("utf-8"))
    context = current_request.get()
    job = ImportJob.objects.create(
        kind=kind, title=title[:200], submitted_by_id=user.pk, file_name=file_name[:255],
        stored_file=str(path.relative_to(settings.DATA_DIR)), rows_total=count_rows(text),
        params={**params, "audit": {"request_id": context.request_id if context else "",
                                    "ip_address": context.ip_address if context else None}})
    job.task_id = str(run_import_job.enqueue(job.pk).id)
    job.save(update_fields=["task_id"])
    job_submitted.send(sender=ImportJob, job=job)
    return job


def stored_path(job: ImportJob) -> Path:
    return Path(settings.DATA_DIR) / job.stored_file


def _progress_key(job_id: int) -> str:
    return f"import-job-progress:{job_id}"


class _Reporter:
    """Reports progress at most every ``PROGRESS_EVERY`` seconds (and always the last row).

    The shared cache carries it, because a runner may report from inside its import transaction,
    where a write to the job's row would stay invisible until the end; outside a transaction
    the job's row is updated too."""

    def __init__(self, job: ImportJob) -> None:
        self.job_id = job.pk
        self.last = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.last < PROGRESS_EVERY:
            return
        self.last = now
        cache.set(_progress_key(self.job_id), (stage, done, total), timeout=24 * 3600)
        if not connection.in_atomic_block:
            ImportJob.objects.filter(pk=self.job_id).update(stage=stage, rows_done=done,
                                                            rows_total=total)


@dataclass(frozen=True)
class Shown:
    stage: str
    done: int
    total: int

    @property
    def percent(self) -> int:
        return 100 * self.done // self.total if self.total else 0


def progress_of(job: ImportJob) -> Shown:
    """How far a job is, as its page shows it."""
    if job.status == JobStatus.RUNNING:
        reported = cache.get(_progress_key(job.pk))
        if reported is not None:
            return Shown(*reported)
    return Shown(job.stage, job.rows_done, job.rows_total)


@contextmanager
def _acting_as(job: ImportJob) -> Iterator[None]:
    """Audit events of the job name its submitter and the upload's request, as if in it."""
    request = HttpRequest()
    request.user = job.submitted_by
    audit = job.params.get("audit", {})
    token = current_request.set(RequestContext(
        request_id=audit.get("request_id") or f"job-{job.pk}",
        ip_address=audit.get("ip_address"), request=request))
    try:
        yield
    finally:
        current_request.reset(token)


def _finish(job: ImportJob, status: JobStatus, **values: Any) -> None:
    for name, value in values.items():
        setattr(job, name, value)
    job.status = status
    job.finished_at = timezone.now()
    job.save()
    cache.delete(_progress_key(job.pk))


def run(job_id: int) -> str:
    """Run one queued job to its end, recording how it ended on the job."""
    job = ImportJob.objects.select_related("submitted_by").get(pk=job_id)
    if job.finished:
        return str(job.status)
    job.status, job.started_at, job.stage = JobStatus.RUNNING, timezone.now(), "starting"
    job.save(update_fields=["status", "started_at", "stage"])
    try:
        runner = runners()[job.kind]
        text = stored_path(job).read_text(encoding="utf-8")
        with _acting_as(job):
            result = runner(job, text, _Reporter(job))
    except JobRefused as refused:
        _finish(job, JobStatus.REFUSED, summary=str(refused)[:500], problems=refused.problems)
    except Exception as error:
        logger.exception("Import job %s failed", job.pk)
        _finish(job, JobStatus.FAILED, error=(
            f"The import stopped with an unexpected error ({type(error).__name__}: {error}); "
            "nothing was imported. Administrators find the details in the server log under "
            f"import job {job.pk}."))
        raise
    except BaseException:
        _finish(job, JobStatus.FAILED, error=STOPPED)
        raise
    else:
        _finish(job, JobStatus.DONE, summary=result.summary[:500], rows_done=job.rows_total,
                result={"count": result.count, "links": [asdict(link) for link in result.links],
                        "more": asdict(result.more) if result.more else None})
    return str(job.status)


def interrupted() -> int:
    """Mark jobs left running by a worker that is gone (the server was stopped hard) as failed;
    their import transaction was rolled back, so nothing of them was imported."""
    stale = ImportJob.objects.filter(status=JobStatus.RUNNING)
    return stale.update(status=JobStatus.FAILED, finished_at=timezone.now(), error=STOPPED)
