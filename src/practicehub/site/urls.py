from __future__ import annotations

from django.urls import path

from practicehub.site import export_views, views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico on their own, whatever the page links.
    path("favicon.ico", views.favicon, name="favicon"),
    path("jobs/<int:pk>/", views.job, name="job"),
    path("exports/<int:pk>/", export_views.export_job, name="export_job"),
    path("exports/<int:pk>/download/", export_views.export_download, name="export_download"),
    path("search/", views.search, name="search"),
    path("digest/", views.digest, name="digest"),
]
