from __future__ import annotations

from django.urls import URLPattern, path

from practicehub.reports import views

app_name = "reports"

urlpatterns: list[URLPattern] = [
    path("site/<int:pk>/", views.request_report, name="request"),
    path("jobs/<int:pk>/", views.job, name="job"),
    path("jobs/<int:pk>/download/", views.download, name="download"),
    path("sip/<int:pk>/progress/", views.sip_progress, name="sip_progress"),
    path("data-pack/", views.data_pack_page, name="data_pack"),
    path("data-pack/download/", views.data_pack_file, name="data_pack_file"),
]
