"""Report pages for the accessibility walk: a finished progress report's job page (with its
download button) and a queued one (polling); the request is a POST-only action."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone

from practicehub.accounts.models import User
from practicehub.accounts.scoping import home_nodes


def _my_built_report(user: User) -> dict[str, Any]:
    from practicehub.reports.models import ReportJob, ReportStatus
    from practicehub.reports.services.jobs import keep_for, write

    path = write(b"%PDF-1.4 stand-in for the accessibility walk")
    now = timezone.now()
    job = ReportJob.objects.create(
        node=home_nodes(user)[0], requested_by=user, status=ReportStatus.DONE,
        period_label="26A26B (2025-10-01 to 2026-09-30)", finished_at=now,
        expires_at=now + keep_for(), stored_file=str(path.relative_to(settings.DATA_DIR)),
        file_size=44, steps_done=8, steps_total=8, stage="Done")
    return {"pk": job.pk}


def _none(user: User) -> dict[str, Any]:
    return {}


# The data pack reads the synthetic outcome import tests/browser/conftest.py points at.
PAGES = {"reports:job": _my_built_report, "reports:data_pack": _none}
NOT_PAGES = {
    "reports:request": "POST-only action; it redirects to the job page (its refusal page "
                       "is checked in reports/tests)",
    "reports:download": "the PDF file, not a page",
    "reports:sip_progress": "a SIP plan's annual progress as a PDF or Excel file",
    "reports:data_pack_file": "the data pack as an Excel or CSV file",
}
