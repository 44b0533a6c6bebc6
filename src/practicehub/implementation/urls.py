from __future__ import annotations

from django.urls import URLPattern, path

from practicehub.implementation.views import (
    indicators,
    overview,
    plans,
    stages,
    support,
    teams,
)

app_name = "implementation"

urlpatterns: list[URLPattern] = [
    path("", overview.index, name="index"),
    path("teams/", teams.team_list, name="team_list"),
    path("teams/new/", teams.team_create, name="team_create"),
    path("teams/<int:pk>/", teams.team_detail, name="team_detail"),
    path("teams/<int:pk>/charter/", teams.team_edit, name="team_edit"),
    path("teams/<int:pk>/members/", teams.member_add, name="member_add"),
    path("teams/<int:pk>/meetings/new/", teams.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", teams.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", teams.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/decisions/", teams.decision_add, name="decision_add"),
    path("meetings/<int:pk>/items/", teams.item_add, name="item_add"),
    path("items/<int:pk>/status/", teams.item_status, name="item_status"),
    path("plans/", plans.plan_list, name="plan_list"),
    path("plans/new/", plans.plan_create, name="plan_create"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", plans.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/timeline/", plans.plan_timeline, name="plan_timeline"),
    path("plans/<int:pk>/priorities/", plans.priority_add, name="priority_add"),
    path("plans/<int:pk>/objectives/", plans.objective_add, name="objective_add"),
    path("plans/<int:pk>/actions/", plans.action_add, name="action_add"),
    path("objectives/<int:pk>/indicators/new/", indicators.indicator_create,
         name="indicator_create"),
    path("indicators/<int:pk>/edit/", indicators.indicator_edit, name="indicator_edit"),
    path("indicators/<int:pk>/delete/", indicators.indicator_delete, name="indicator_delete"),
    path("actions/<int:pk>/status/", plans.action_status, name="action_status"),
    path("stages/", stages.stage_list, name="stage_list"),
    path("stages/<int:pk>/", stages.stage_site, name="stage_site"),
    path("stages/<int:pk>/record/", stages.stage_record, name="stage_record"),
    path("stages/<int:pk>/rate/", stages.stage_rate, name="stage_rate"),
    path("support/", support.support_list, name="support_list"),
    path("support/new/", support.support_create, name="support_create"),
    path("lessons/", support.lesson_list, name="lesson_list"),
    path("lessons/new/", support.lesson_create, name="lesson_create"),
    path("export/<slug:key>/", overview.export, name="export"),
]
