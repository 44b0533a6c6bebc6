from __future__ import annotations

from django.urls import URLPattern, path

from practicehub.fidelity import views, views_outcomes

app_name = "fidelity"

urlpatterns: list[URLPattern] = [
    path("", views.dashboard, name="dashboard"),
    path("agreement/", views.agreement, name="agreement"),
    path("outcomes/", views_outcomes.outcomes, name="outcomes"),
    path("tools/", views.tools, name="tools"),
    path("tools/new/", views.tool_create, name="tool_create"),
    path("observations/", views.observations, name="observations"),
    path("observations/new/", views.observation_start, name="observation_start"),
    path("observations/import/", views.observation_import, name="observation_import"),
    path("observations/import/template/<int:pk>.csv", views.observation_template,
         name="observation_template"),
    path("observations/export.csv", views.observation_export, name="observation_export"),
    path("observations/<int:pk>/", views.observation_detail, name="observation"),
    path("observations/<int:pk>/edit/", views.observation_edit, name="observation_edit"),
    path("observations/<int:pk>/submit/", views.observation_submit, name="observation_submit"),
    path("observations/<int:pk>/amend/", views.observation_amend, name="observation_amend"),
    path("people/<int:pk>/", views.worker, name="worker"),
    path("people/<int:pk>/coaching-plan/", views.plan_start, name="plan_start"),
    path("coaching/", views.plans, name="plans"),
    path("coaching/new/", views.plan_new, name="plan_new"),
    path("coaching/<int:pk>/close/", views.plan_close, name="plan_close"),
    path("coaching/goals/<int:pk>/met/", views.goal_met, name="goal_met"),
    path("coaching/<int:pk>/", views.plan_detail, name="plan"),
    path("coaching/<int:pk>/goals/", views.goal_add, name="goal_add"),
    path("coaching/<int:pk>/sessions/", views.session_add, name="session_add"),
]
