from __future__ import annotations

from django.urls import URLPattern, path

from practicehub.assessments import views

app_name = "assessments"

urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("instruments/<slug:key>/", views.instrument_detail, name="instrument"),
    path("new/", views.administration_create, name="administration_create"),
    path("<int:pk>/", views.administration_detail, name="administration"),
    path("<int:pk>/scores/", views.score_entry, name="scores"),
    path("<int:pk>/suggestions/", views.suggestion_add, name="suggestion_add"),
    path("export/<slug:key>/", views.export, name="export"),
]
