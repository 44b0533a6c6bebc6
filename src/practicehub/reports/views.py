"""Report pages: ask for a site's progress report (queued for the task worker), follow its job,
download the file; a System Improvement Plan's annual progress (PDF, Excel); a county's
self-assessment data pack (page, Excel, CSV). Views check scope, call reports/services/ (and
outcomes/services/data_pack.py) and render."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from practicehub.accounts.http import AuthedRequest
from practicehub.accounts.models import OrgNode
from practicehub.core.errors import OutsideScope, Refused
from practicehub.core.services import tables
from practicehub.outcomes.services import dashboard_data, data_pack
from practicehub.outcomes.services.access import OutcomeScope, outcome_scope
from practicehub.outcomes.services.dashboard_data import DashboardData
from practicehub.outcomes.services.dashboard_selection import OutOfScope
from practicehub.reports.models import ReportJob
from practicehub.reports.services import data_pack_files, jobs, pdf, sip


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


# System Improvement Plan annual progress -----------------------------------------------------

SIP_FORMATS = {"pdf": "application/pdf",
               "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@require_GET
def sip_progress(request: AuthedRequest, pk: int) -> HttpResponse:
    """A SIP plan's annual progress as PDF or Excel (``format``); another plan, or one outside
    the person's scope, answers 404."""
    plan = sip.find_plan(pk, request.user)
    fmt = request.GET.get("format", "pdf")
    if fmt not in SIP_FORMATS:
        return HttpResponseBadRequest(f"format: must be pdf or xlsx, not {fmt!r}",
                                      content_type="text/plain; charset=utf-8")
    found = sip.progress(plan, request.user, timezone.localdate())
    data = pdf.render(sip.report(found)) if fmt == "pdf" else sip.workbook(found)
    response = HttpResponse(data, content_type=SIP_FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{sip.file_name(found, fmt)}"'
    return response


# County self-assessment data pack ------------------------------------------------------------

def _asked(request: AuthedRequest, data: DashboardData,
           scope: OutcomeScope) -> data_pack.Asked:
    try:
        return data_pack.asked(data, scope, request.GET.get("county", "").strip(),
                               request.GET.get("years", ""), request.GET.getlist("peer"))
    except OutOfScope:
        raise Http404("No such county in your scope") from None


@require_GET
def data_pack_page(request: AuthedRequest) -> HttpResponse:
    scope = outcome_scope(request.user)
    with dashboard_data.opened() as data:
        if data is None or scope.empty:
            return render(request, "reports/data_pack.html",
                          {"no_data": data is None, "no_scope": scope.empty})
        try:
            asked = _asked(request, data, scope)
        except Refused as refused:
            county = request.GET.get("county", "").strip()
            form = data_pack.asked(data, scope, county, "", [])
            located = refused.problems_found()[0]
            return render(request, "reports/data_pack.html", {
                "asked": form, "error": refused, "error_field": located.field,
                "error_message": located.message, "years_choices": data_pack.YEAR_CHOICES},
                status=400)
        pack = data_pack.build(data, asked)
    peers = [p.code for p in asked.peers]
    query = urlencode([("county", asked.county.code), ("years", asked.years),
                       *(("peer", p) for p in peers)])
    return render(request, "reports/data_pack.html", {
        "asked": asked, "pack": pack, "peers": peers, "query": query,
        "years_choices": data_pack.YEAR_CHOICES,
        "pack_note": "\n\n".join(data_pack_files.notes(pack))})


@require_GET
def data_pack_file(request: AuthedRequest) -> HttpResponse:
    """The data pack as Excel (a sheet per measure) or CSV (every figure, one per line)."""
    fmt = request.GET.get("format", "xlsx")
    if fmt not in tables.FORMATS:
        return HttpResponseBadRequest(f"format: must be xlsx or csv, not {fmt!r}",
                                      content_type="text/plain; charset=utf-8")
    scope = outcome_scope(request.user)
    with dashboard_data.opened() as data:
        if data is None or scope.empty:
            # Nothing to show: the file's headers, and a note saying why (as the page does).
            body, name = data_pack_files.empty(fmt, no_data=data is None)
            response = HttpResponse(body, content_type=tables.FORMATS[fmt][0])
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        try:
            pack = data_pack.build(data, _asked(request, data, scope))
        except Refused as refused:
            return HttpResponseBadRequest(str(refused), content_type="text/plain; charset=utf-8")
    body = data_pack_files.workbook(pack) if fmt == "xlsx" else data_pack_files.csv_bytes(pack)
    response = HttpResponse(body, content_type=tables.FORMATS[fmt][0])
    response["Content-Disposition"] = \
        f'attachment; filename="{data_pack_files.file_name(pack, fmt)}"'
    return response
