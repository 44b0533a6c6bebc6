"""Report pages: ask for a site's progress report (queued for the task worker), follow its job,
download the file. Views check scope, call reports/services/jobs.py and render."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from practicehub.accounts.http import AuthedRequest
from practicehub.accounts.models import OrgNode
from practicehub.core.errors import OutsideScope, Refused
from practicehub.reports.models import ReportJob
from practicehub.reports.services import jobs


@require_POST
def request_report(request: AuthedRequest, pk: int) -> HttpResponse:
    node = get_object_or_404(OrgNode.objects.visible_to(request.user), pk=pk)
    try:
        job = jobs.submit(request.user, node, request.POST.get("period", ""))
    except OutsideScope:
        raise  # a refusal too, but answered 404 (core RefusalMiddleware)
    except Refused as refused:
        return render(request, "reports/refused.html", {"node": node, "message": str(refused)},
                      status=400)
    return redirect("reports:job", pk=job.pk)


def _job(request: AuthedRequest, pk: int) -> ReportJob:
    """The asker's own job, while the site is still in their scope (a role taken away since
    takes the report with it)."""
    return get_object_or_404(ReportJob.objects.visible_to(request.user)
                             .filter(node__in=OrgNode.objects.visible_to(request.user))
                             .select_related("node", "requested_by"), pk=pk)


@require_GET
def job(request: AuthedRequest, pk: int) -> HttpResponse:
    """A report's progress and, once built, its file; polled by htmx every 2 seconds."""
    found = _job(request, pk)
    template = "reports/job.html#status" if request.htmx else "reports/job.html"
    response = render(request, template, {
        "job": found, "available": jobs.stored_path(found) is not None,
        "keep_hours": int(jobs.keep_for().total_seconds() // 3600)})
    response["Vary"] = "HX-Request"
    return response


@require_GET
def download(request: AuthedRequest, pk: int) -> HttpResponse:
    found = _job(request, pk)
    path = jobs.stored_path(found)
    if path is None:
        raise Http404("This report's file is not kept any more.")
    # A report is a few hundred kilobytes: read whole, as every other download is answered.
    response = HttpResponse(path.read_bytes(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{found.file_name}"'
    return response
