from __future__ import annotations

from django.urls import URLPattern, path

from practicehub.practice_model import views

app_name = "practice_model"

_VERSION = "<slug:key>/<str:version>/"

urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path(_VERSION, views.version_detail, name="version"),
    path(f"{_VERSION}values/", views.values, name="values"),
    path(f"{_VERSION}capacity/", views.capacity, name="capacity"),
    path(f"{_VERSION}systemic-issues/", views.systemic_issues, name="systemic_issues"),
    path(f"{_VERSION}behaviors/<str:code>/", views.behavior_detail, name="behavior"),
    path(f"{_VERSION}behaviors/<str:code>/edit/", views.behavior_edit, name="behavior_edit"),
    path(f"{_VERSION}draft/", views.start_draft, name="start_draft"),
    path(f"{_VERSION}publish/", views.publish, name="publish"),
]
