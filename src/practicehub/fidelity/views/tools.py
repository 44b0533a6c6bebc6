"""Observation tools: the list and a new tool."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from practicehub.accounts.http import AuthedRequest
from practicehub.accounts.roles import Capability
from practicehub.accounts.scoping import has_capability
from practicehub.fidelity.forms import (
    ToolForm,
)
from practicehub.fidelity.models import ObservationTool
from practicehub.fidelity.services.access import hides_records
from practicehub.fidelity.services.errors import FidelityError
from practicehub.fidelity.services.observations import (
    ToolSpec,
    create_tool,
)


def tools(request: AuthedRequest) -> HttpResponse:
    listed = ObservationTool.objects.select_related("version").prefetch_related("behaviors")
    return render(request, "fidelity/tools.html", {
        "tools": listed,
        "may_configure": has_capability(request.user, Capability.FIDELITY_CONFIGURE),
        "hide_records": hides_records(request.user)})


def tool_create(request: AuthedRequest) -> HttpResponse:
    form = ToolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            create_tool(ToolSpec(
                name=data["name"], version=data["version"], scale=data["scale"],
                behaviors=list(data["behaviors"]), settings=list(data["settings"]),
                proficient_score=data["proficient_score"],
                observation_share=data["observation_share"],
                worker_latest=data["worker_latest"], worker_meeting=data["worker_meeting"]))
        except FidelityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Observation tool created.")
            return redirect("fidelity:tools")
    status = 400 if form.errors else 200
    return render(request, "fidelity/tool_form.html", {"form": form}, status=status)
