"""A large export's page (progress, then the file) and its download; the asker's own only."""

from __future__ import annotations

from contextlib import suppress
from urllib.parse import urlsplit

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import Resolver404, resolve
from django.views.decorators.http import require_GET

from practicehub.accounts.http import AuthedRequest
from practicehub.core.models import ExportJob
from practicehub.core.services import export_jobs


def _own(request: AuthedRequest, pk: int) -> ExportJob:
    """Only the person who asked sees the job: the file holds what their scope holds."""
    return get_object_or_404(ExportJob.objects.filter(requested_by_id=request.user.pk), pk=pk)


@require_GET
def export_job(request: AuthedRequest, pk: int) -> HttpResponse:
    """The export's progress and, once written, its file; polled by htmx every 2 seconds."""
    found = _own(request, pk)
    template = "core/export_job.html#status" if request.htmx else "core/export_job.html"
    response = render(request, template, {
        "job": found, "available": export_jobs.stored_path(found) is not None,
        "keep_hours": int(export_jobs.keep_for().total_seconds() // 3600),
        "limit": export_jobs.limit()})
    response["Vary"] = "HX-Request"
    return response


@require_GET
def export_download(request: AuthedRequest, pk: int) -> HttpResponse:
    """The file, audited as the export of the address asked for (the audit middleware reads
    ``audited_as``), exactly as the download answered in the request would have been."""
    found = _own(request, pk)
    path = export_jobs.stored_path(found)
    if path is None:
        raise Http404("This export's file is not kept any more.")
    with suppress(Resolver404):
        request.audited_as = resolve(urlsplit(found.path).path)  # type: ignore[attr-defined]
    request.audited_path = found.path  # type: ignore[attr-defined]
    response = HttpResponse(path.read_bytes(), content_type=found.content_type)
    response["Content-Disposition"] = f'attachment; filename="{found.file_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
