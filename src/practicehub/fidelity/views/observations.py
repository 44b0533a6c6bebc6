"""Observations: the list, recording one (start, draft, submit, amend), importing and exporting
them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify

from practicehub.accounts.http import AuthedRequest
from practicehub.accounts.roles import Capability
from practicehub.accounts.scoping import has_capability
from practicehub.core.downloads import table_download
from practicehub.core.services import export_jobs
from practicehub.core.services.jobs import runs_in_background
from practicehub.core.services.listing import Column, list_page
from practicehub.core.services.tables import Table
from practicehub.core.services.versioning import StaleEdit
from practicehub.core.uploads import upload_limits
from practicehub.fidelity.forms import (
    AmendForm,
    DraftForm,
    ImportForm,
    ObservationFilters,
    StartForm,
    SubmitForm,
)
from practicehub.fidelity.jobs import queue_observation_import
from practicehub.fidelity.models import Observation, ObservationTool, Rating
from practicehub.fidelity.services.access import observable_workers
from practicehub.fidelity.services.errors import FidelityError
from practicehub.fidelity.services.exports import observations_count, observations_table
from practicehub.fidelity.services.importing import (
    ImportRefused,
    import_observations,
    template_header,
)
from practicehub.fidelity.services.observations import (
    NewObservation,
    amend,
    may_amend,
    may_edit_draft,
    save_draft,
    start_observation,
    submit,
)

OBSERVATION_COLUMNS = [
    Column("date", "Date", "observed_on", descending_first=True),
    Column("worker", "Worker", "worker__last_name,worker__first_name"),
    Column("observer", "Observer", "observer__last_name,observer__first_name"),
    Column("tool", "Tool", "tool__name"),
    Column("status", "Status", "status"),
    Column("meets", "Meets fidelity", "meets_fidelity"),
]


def observations(request: AuthedRequest) -> HttpResponse:
    visible = Observation.objects.visible_to(request.user)
    filters = ObservationFilters(request.GET, observations=visible)
    listing = list_page(request, visible.select_related("worker", "observer", "tool", "node"),
                        OBSERVATION_COLUMNS, default_sort="-date", filters=filters)
    may_observe = has_capability(request.user, Capability.FIDELITY_OBSERVE)
    return render(request, "fidelity/observations.html",
                  {"listing": listing, "filters": filters, "may_observe": may_observe,
                   "may_export": has_capability(request.user, Capability.FIDELITY_PEOPLE)},
                  status=400 if listing.refused else 200)


def observation_start(request: AuthedRequest) -> HttpResponse:
    user = request.user
    firsts = (Observation.objects.visible_to(user)
              .filter(paired_with__isnull=True).exclude(observer=user)
              .select_related("worker")[:100])
    form = StartForm(request.POST or None, workers=observable_workers(user),
                     firsts=Observation.objects.filter(pk__in=[o.pk for o in firsts]),
                     initial={"observed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            observation = start_observation(NewObservation(
                tool=data["tool"], worker=data["worker"], observer=user,
                observed_on=data["observed_on"], setting=data["setting"],
                observer_kind=data["observer_kind"], paired_with=data["paired_with"]), user)
        except FidelityError as error:
            form.add_error(None, str(error))
        else:
            return redirect("fidelity:observation_edit", pk=observation.pk)
    status = 400 if form.errors else 200
    return render(request, "fidelity/observation_start.html", {"form": form}, status=status)


def _observation(request: AuthedRequest, pk: int) -> Observation:
    return get_object_or_404(
        Observation.objects.visible_to(request.user).select_related(
            "tool", "worker", "observer", "node", "paired_with"), pk=pk)


def _shown_ratings(observation: Observation) -> list[tuple[Rating, str]]:
    """Each rating with its scale point as the page reads it ("3 Expected"), or its mark."""
    scale = observation.tool.scale_def
    return [(r, scale.shown(r.score) if r.score is not None else r.get_mark_display())
            for r in observation.ratings.select_related("behavior")]


def observation_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    observation = _observation(request, pk)
    context = {"observation": observation, "ratings": _shown_ratings(observation),
               "amendments": observation.amendments.select_related("amended_by"),
               "may_edit": may_edit_draft(request.user, observation),
               "may_amend": may_amend(request.user, observation)}
    return render(request, "fidelity/observation.html", context)


def observation_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    observation = _observation(request, pk)
    if observation.is_submitted:
        messages.info(request, "This observation is submitted; amend it with a reason.")
        return redirect("fidelity:observation", pk=pk)
    if not may_edit_draft(request.user, observation):
        raise PermissionDenied("Only the observer edits a draft.")
    form = DraftForm(request.POST or None, observation=observation,
                     initial={"notes": observation.notes,
                              "edit_version": observation.edit_version})
    if request.method == "POST" and form.is_valid():
        try:
            save_draft(observation, request.user, form.entries(), form.cleaned_data["notes"],
                       expected_version=form.expected_version())
            if "submit" in request.POST:
                # Submitting locks the record for good: the next page asks to confirm.
                return redirect("fidelity:observation_submit", pk=pk)
        except StaleEdit as error:
            form.refuse_stale(error)
        except FidelityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Draft saved.")
            return redirect("fidelity:observation_edit", pk=pk)
    return render(request, "fidelity/observation_edit.html",
                  {"observation": observation, "form": form}, status=form.page_status())


def observation_submit(request: AuthedRequest, pk: int) -> HttpResponse:
    """The confirm step before a draft is locked: the ratings as they will be kept."""
    observation = _observation(request, pk)
    if observation.is_submitted:
        messages.info(request, "This observation is already submitted.")
        return redirect("fidelity:observation", pk=pk)
    if not may_edit_draft(request.user, observation):
        raise PermissionDenied("Only the observer submits a draft.")
    form = SubmitForm(request.POST or None, initial={"edit_version": observation.edit_version})
    if request.method == "POST" and form.is_valid():
        try:
            submit(observation, request.user, expected_version=form.expected_version())
        except StaleEdit as error:
            form.refuse_stale(error)
        except FidelityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Observation submitted and locked.")
            return redirect("fidelity:observation", pk=pk)
    return render(request, "fidelity/observation_submit.html",
                  {"observation": observation, "form": form,
                   "ratings": _shown_ratings(observation)},
                  status=form.page_status())


def observation_amend(request: AuthedRequest, pk: int) -> HttpResponse:
    observation = _observation(request, pk)
    if not may_amend(request.user, observation):
        raise Http404
    form = AmendForm(request.POST or None, observation=observation,
                     initial={"edit_version": observation.edit_version})
    if request.method == "POST" and form.is_valid():
        try:
            amend(observation, request.user, form.entries(), form.cleaned_data["reason"],
                  expected_version=form.expected_version())
        except StaleEdit as error:
            form.refuse_stale(error)
        except FidelityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Amendment recorded.")
            return redirect("fidelity:observation", pk=pk)
    return render(request, "fidelity/observation_amend.html",
                  {"observation": observation, "form": form}, status=form.page_status())


def observation_import(request: AuthedRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[Any] = []
    if request.method == "POST" and form.is_valid():
        upload, tool = form.cleaned_data["file"], form.cleaned_data["tool"]
        redcap = form.cleaned_data["file_format"] == "redcap"
        try:
            text = upload.read().decode("utf-8-sig")
            if runs_in_background(text):
                job = queue_observation_import(request.user, text, tool, redcap=redcap,
                                               file_name=upload.name)
                return redirect("core:job", pk=job.pk)
            stored = import_observations(text, tool, request.user, redcap=redcap)
        except UnicodeDecodeError:
            form.add_error("file", "The file is not UTF-8 text.")
        except ImportRefused as refused:
            problems = refused.problems
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"Imported {len(stored)} observations.")
            return redirect("fidelity:observations")
    status = 400 if form.errors else 200
    return render(request, "fidelity/observation_import.html",
                  {"form": form, "problems": problems, "tools": ObservationTool.objects.all(),
                   **upload_limits()}, status=status)


def observation_template(request: AuthedRequest, pk: int) -> HttpResponse:
    """An empty import file for a tool: the header row the import expects."""
    tool = get_object_or_404(ObservationTool, pk=pk)
    redcap = request.GET.get("format") == "redcap"
    name = f"{slugify(tool.name)}-{'redcap' if redcap else 'observations'}-template"
    header = template_header(tool, redcap=redcap)
    return table_download(Table(key=name, title=tool.name, headers=header, rows=[]), "csv",
                          "fidelity")


def observation_export(request: AuthedRequest) -> HttpResponse:
    """The submitted observations of the list, with the list's filters."""
    visible = Observation.objects.visible_to(request.user)
    filters = ObservationFilters(request.GET, observations=visible)
    if not filters.is_valid():
        return HttpResponse(f"The filters are not valid: {filters.errors.as_text()}",
                            status=400, content_type="text/plain; charset=utf-8")
    chosen = filters.apply(visible)
    queued = export_jobs.in_background(request, observations_count(chosen), "Observations")
    if queued is not None:
        return queued
    return table_download(observations_table(request.user, chosen),
                          request.GET.get("format", "csv"), "fidelity")
