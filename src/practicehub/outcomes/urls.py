from __future__ import annotations

from django.urls import URLPattern, path

from practicehub.outcomes import views

app_name = "outcomes"

urlpatterns: list[URLPattern] = [
    path("", views.dashboard, name="dashboard"),
    path("disparities/", views.disparities, name="disparities"),
    path("long-stays/", views.long_stays, name="long_stays"),
    path("time-to-permanency/", views.time_to_permanency, name="time_to_permanency"),
    path("data-quality/", views.data_quality, name="data_quality"),
    path("data-quality/flagged-rows/", views.data_quality_flagged, name="data_quality_flagged"),
]
