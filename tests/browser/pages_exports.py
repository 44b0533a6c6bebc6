"""Large exports for the accessibility walk: a written background export's job page (with its
download button); the file itself is not a page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone

from practicehub.accounts.models import User


def _my_written_export(user: User) -> dict[str, Any]:
    from practicehub.core.models import ExportJob, JobStatus
    from practicehub.core.services.export_jobs import exports_dir, keep_for

    path = exports_dir() / "accessibility-walk.csv"
    path.write_bytes(b"a\r\n1\r\n")
    now = timezone.now()
    job = ExportJob.objects.create(
        title="Observations", path="/fidelity/observations/export.csv?format=csv",
        requested_by=user, status=JobStatus.DONE, rows_total=60_000, started_at=now,
        finished_at=now, expires_at=now + keep_for(), file_name="observations.csv",
        stored_file=str(path.relative_to(settings.DATA_DIR)), content_type="text/csv",
        file_size=6, stage="Done")
    return {"pk": job.pk}


PAGES = {"core:export_job": _my_written_export}
NOT_PAGES = {"core:export_download": "the file, not a page (tests/core/test_export_jobs.py)"}
