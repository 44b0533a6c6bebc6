from __future__ import annotations

from django.urls import URLPattern, path

from practicehub.implementation import views

app_name = "implementation"

urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("teams/", views.team_list, name="team_list"),
    path("teams/new/", views.team_create, name="team_create"),
    path("teams/<int:pk>/", views.team_detail, name="team_detail"),
    path("teams/<int:pk>/charter/", views.team_edit, name="team_edit"),
    path("teams/<int:pk>/members/", views.member_add, name="member_add"),
    path("teams/<int:pk>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/decisions/", views.decision_add, name="decision_add"),
    path("meetings/<int:pk>/items/", views.item_add, name="item_add"),
    path("items/<int:pk>/status/", views.item_status, name="item_status"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/timeline/", views.plan_timeline, name="plan_timeline"),
    path("plans/<int:pk>/priorities/", views.priority_add, name="priority_add"),
    path("plans/<int:pk>/objectives/", views.objective_add, name="objective_add"),
    path("plans/<int:pk>/actions/", views.action_add, name="action_add"),
    path("actions/<int:pk>/status/", views.action_status, name="action_status"),
    path("stages/", views.stage_list, name="stage_list"),
    path("stages/<int:pk>/", views.stage_site, name="stage_site"),
    path("stages/<int:pk>/record/", views.stage_record, name="stage_record"),
    path("stages/<int:pk>/rate/", views.stage_rate, name="stage_rate"),
    path("support/", views.support_list, name="support_list"),
    path("support/new/", views.support_create, name="support_create"),
    path("lessons/", views.lesson_list, name="lesson_list"),
    path("lessons/new/", views.lesson_create, name="lesson_create"),
    path("export/<slug:key>/", views.export, name="export"),
]
