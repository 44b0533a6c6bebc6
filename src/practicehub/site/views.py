from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.http import require_POST

from practicehub.accounts.http import AuthedRequest
from practicehub.accounts.scoping import assignments_of, home_nodes, jobs_visible_to
from practicehub.core.services.jobs import progress_of
from practicehub.site.services import reminders
from practicehub.site.services.home import tasks_for
from practicehub.site.services.search import search as search_all


def home(request: AuthedRequest) -> HttpResponse:
    context = {
        "assignments": assignments_of(request.user),
        "sites": home_nodes(request.user),
        "tasks": tasks_for(request.user),
        "owed": reminders.owed_by(request.user, timezone.localdate()),
        "digest_on": reminders.wants_digest(request.user),
    }
    return render(request, "site/home.html", context)


@require_POST
def digest(request: AuthedRequest) -> HttpResponse:
    """Turn one's own daily digest on or off."""
    send = request.POST.get("send_digest") == "on"
    reminders.set_digest(request.user, send)
    messages.success(request, "The daily digest is on: you get a mail on days you have "
                     "something to do." if send else "The daily digest is off: no more mails.")
    return redirect("core:home")


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on their own, whatever the page links."""
    return redirect(static("core/favicon.svg"), permanent=True)


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def job(request: AuthedRequest, pk: int) -> HttpResponse:
    """A background import's progress and, once finished, its result; polled by htmx."""
    found = get_object_or_404(jobs_visible_to(request.user)
                              .select_related("submitted_by"), pk=pk)
    template = "site/job.html#status" if request.htmx else "site/job.html"
    response = render(request, template, {"job": found, "progress": progress_of(found)})
    response["Vary"] = "HX-Request"
    return response


def search(request: AuthedRequest) -> HttpResponse:
    """Observations, coaching plans, behaviors and lessons matching the words, in the user's
    scope."""
    text = request.GET.get("q", "").strip()
    return render(request, "site/search.html",
                  {"text": text, "sections": search_all(request.user, text)})
