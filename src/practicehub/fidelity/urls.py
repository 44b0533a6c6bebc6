from __future__ import annotations

from django.urls import URLPattern, path

from practicehub.fidelity.views import (
    coaching,
    dashboards,
    observations,
    outcomes,
    profile,
    tools,
)

app_name = "fidelity"

urlpatterns: list[URLPattern] = [
    path("", dashboards.dashboard, name="dashboard"),
    path("agreement/", dashboards.agreement, name="agreement"),
    path("outcomes/", outcomes.outcomes, name="outcomes"),
    path("tools/", tools.tools, name="tools"),
    path("tools/new/", tools.tool_create, name="tool_create"),
    path("observations/", observations.observations, name="observations"),
    path("observations/new/", observations.observation_start, name="observation_start"),
    path("observations/import/", observations.observation_import, name="observation_import"),
    path("observations/import/template/<int:pk>.csv", observations.observation_template,
         name="observation_template"),
    path("observations/export.csv", observations.observation_export, name="observation_export"),
    path("observations/<int:pk>/", observations.observation_detail, name="observation"),
    path("observations/<int:pk>/edit/", observations.observation_edit, name="observation_edit"),
    path("observations/<int:pk>/submit/", observations.observation_submit,
         name="observation_submit"),
    path("observations/<int:pk>/amend/", observations.observation_amend, name="observation_amend"),
    path("support-profile/", profile.profile, name="profile"),
    path("support-profile/rate/", profile.profile_rate, name="profile_rate"),
    path("support-profile/ratings/", profile.profile_ratings, name="profile_ratings"),
    path("support-profile/ratings/<int:pk>/", profile.profile_rating, name="profile_rating"),
    path("people/<int:pk>/", coaching.worker, name="worker"),
    path("people/<int:pk>/coaching-plan/", coaching.plan_start, name="plan_start"),
    path("coaching/", coaching.plans, name="plans"),
    path("coaching/new/", coaching.plan_new, name="plan_new"),
    path("coaching/<int:pk>/close/", coaching.plan_close, name="plan_close"),
    path("coaching/goals/<int:pk>/met/", coaching.goal_met, name="goal_met"),
    path("coaching/<int:pk>/", coaching.plan_detail, name="plan"),
    path("coaching/<int:pk>/goals/", coaching.goal_add, name="goal_add"),
    path("coaching/<int:pk>/sessions/", coaching.session_add, name="session_add"),
]
