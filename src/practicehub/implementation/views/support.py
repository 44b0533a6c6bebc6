"""The support-activity log and peer learning (lessons and resources)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from practicehub.accounts.http import AuthedRequest
from practicehub.core.services.listing import Column, list_page
from practicehub.implementation import forms as f
from practicehub.implementation.models import (
    Driver,
    Lesson,
    SupportActivity,
)
from practicehub.implementation.services import support
from practicehub.implementation.services import views_support as scope
from practicehub.implementation.services.access import InvalidInput, manageable_nodes
from practicehub.implementation.views.shared import (
    form_page,
    local_today,
    may_manage,
    refuse,
)
from practicehub.practice_model.services.profiles import competency_labels

SUPPORT_COLUMNS = [
    Column("date", "Date", "occurred_on", descending_first=True),
    Column("kind", "Kind", "kind"),
    Column("site", "Site", "node__name"),
    Column("mode", "Mode", "mode"),
    Column("minutes", "Minutes", "duration_minutes", descending_first=True),
    Column("providers", "Providers"),
    Column("competencies", "Competencies used"),
    Column("summary", "Summary"),
]


def support_list(request: AuthedRequest) -> HttpResponse:
    activities = SupportActivity.objects.visible_to(request.user)
    filters = f.SupportFilters(request.GET, visible=activities)
    listing = list_page(request, activities.select_related("node").prefetch_related("providers"),
                        SUPPORT_COLUMNS, default_sort="-date", filters=filters)
    labels = competency_labels()
    for activity in listing.rows:
        activity.competency_names = [labels.get(code, code) for code in activity.competencies]
    return render(request, "implementation/support_list.html", {
        "listing": listing, "filters": filters,
        "total_hours": support.total_minutes(activities) / 60,
        "charts": scope.dosage_charts(activities),
        "can_manage": may_manage(request)}, status=400 if listing.refused else 200)


def support_create(request: AuthedRequest) -> HttpResponse:
    form = f.SupportActivityForm(
        request.POST or None, nodes=manageable_nodes(request.user),
        people=scope.people_in_scope(request.user), teams=scope.teams_in_scope(request.user),
        objectives=scope.objectives_in_scope(request.user), version=scope.current_model())
    if request.method == "POST" and form.is_valid():
        many = {"providers", "recipient_teams", "practices", "capacity_areas", "objectives"}
        data: dict[str, Any] = {k: list(v) if k in many else v
                                for k, v in form.cleaned_data.items()}
        try:
            support.log_activity(request.user, support.ActivityInput(**data))
        except InvalidInput as error:
            refuse(form, error)
        else:
            messages.success(request, "Support activity logged.")
            return redirect("implementation:support_list")
    return form_page(request, form, "Log a support activity", "implementation:support_list",
                      400 if form.errors else 200)


LESSON_COLUMNS = [Column("date", "Shared on", "created_on", descending_first=True),
                  Column("title", "Title", "title")]


def lesson_list(request: AuthedRequest) -> HttpResponse:
    query = {k: request.GET.get(k, "").strip() for k in ("q", "practice", "area", "driver")}
    found = support.search_lessons(
        Lesson.objects.visible_to(request.user).select_related("node"), text=query["q"],
        practice=query["practice"], capacity_area=query["area"], driver=query["driver"])
    version = scope.current_model()
    listing = list_page(request, found.prefetch_related("practices", "capacity_areas"),
                        LESSON_COLUMNS, default_sort="-date")
    if any(query.values()):
        listing.filtered = True
        listing.total = Lesson.objects.visible_to(request.user).count()
    return render(request, "implementation/lesson_list.html", {
        "listing": listing, "query": query,
        "practices": version.practice_set.all() if version else [],
        "areas": version.capacityarea_set.all() if version else [],
        "drivers": Driver.choices,
        "can_manage": may_manage(request)})


def lesson_create(request: AuthedRequest) -> HttpResponse:
    form = f.LessonForm(request.POST or None, nodes=manageable_nodes(request.user),
                        version=scope.current_model())
    if request.method == "POST" and form.is_valid():
        data: dict[str, Any] = {k: list(v) if k in {"practices", "capacity_areas"} else v
                for k, v in form.cleaned_data.items()}
        try:
            support.add_lesson(request.user, created_on=local_today(), **data)
        except InvalidInput as error:
            refuse(form, error)
        else:
            messages.success(request, "Shared.")
            return redirect("implementation:lesson_list")
    return form_page(request, form, "Share a lesson or resource", "implementation:lesson_list",
                      400 if form.errors else 200)
