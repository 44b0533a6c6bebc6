from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from practicehub.accounts.services.scoping import assignments_of, home_nodes
from practicehub.core.services.home import tasks_for


def home(request: HttpRequest) -> HttpResponse:
    context = {
        "assignments": assignments_of(request.user),
        "sites": home_nodes(request.user),
        "tasks": tasks_for(request.user),
    }
    return render(request, "core/home.html", context)


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})
