"""Stages of implementation: sites compared, one site's stages and checklist, recording and
rating."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from practicehub.accounts.http import AuthedRequest
from practicehub.accounts.models import OrgNode
from practicehub.implementation import forms as f
from practicehub.implementation.models import (
    ChecklistRating,
    Rating,
    StageRecord,
)
from practicehub.implementation.services import stages
from practicehub.implementation.services import views_support as scope
from practicehub.implementation.services.access import InvalidInput, manageable_nodes
from practicehub.implementation.views.shared import (
    first_error,
    flash_refusal,
    local_today,
    may_manage,
)


def stage_list(request: AuthedRequest) -> HttpResponse:
    version = scope.current_model()
    rows = [] if version is None else stages.compare_sites(
        StageRecord.objects.visible_to(request.user),
        ChecklistRating.objects.visible_to(request.user), version, local_today())
    sites = manageable_nodes(request.user) if may_manage(request) else []
    return render(request, "implementation/stage_list.html",
                  {"rows": rows, "version": version, "sites": sites})


def stage_site(request: AuthedRequest, pk: int) -> HttpResponse:
    node = get_object_or_404(scope.stage_sites(request.user), pk=pk)
    version = scope.current_model()
    if version is None:
        raise Http404("No practice model is loaded.")
    site = stages.site_checklist(node, version, local_today())
    context = {
        "node": node, "version": version, "records": site.records, "measures": site.measures,
        "checklist": site.checklist,
        "can_manage": may_manage(request, node),
        "stage_form": f.StageForm(initial={"model_version": version}),
        "ratings": Rating.choices,
    }
    return render(request, "implementation/stage_site.html", context)


def _stage_post(request: AuthedRequest, pk: int, form_class: type[forms.Form], save: Any
                ) -> HttpResponse:
    node = get_object_or_404(OrgNode.objects.visible_to(request.user), pk=pk)
    form = form_class(request.POST)
    try:
        if not form.is_valid():
            raise first_error(form)
        save(node, form.cleaned_data)
    except InvalidInput as error:
        flash_refusal(request, error)
    else:
        messages.success(request, "Saved.")
    return redirect("implementation:stage_site", pk=node.pk)


@require_POST
def stage_record(request: AuthedRequest, pk: int) -> HttpResponse:
    return _stage_post(request, pk, f.StageForm, lambda node, data: stages.record_stage(
        request.user, node=node, **data))


@require_POST
def stage_rate(request: AuthedRequest, pk: int) -> HttpResponse:
    return _stage_post(request, pk, f.RatingForm, lambda node, data: stages.rate_activity(
        request.user, node=node, **data))
