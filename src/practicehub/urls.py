from __future__ import annotations

from django.conf import settings
from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("practicehub.site.urls")),
    path("accounts/", include("practicehub.accounts.urls")),
    path("audit/", include("practicehub.audit.urls")),
    path("model/", include("practicehub.practice_model.urls")),
    path("fidelity/", include("practicehub.fidelity.urls")),
    path("implementation/", include("practicehub.implementation.urls")),
    path("assessments/", include("practicehub.assessments.urls")),
    path("outcomes/", include("practicehub.outcomes.urls")),
    path("reports/", include("practicehub.reports.urls")),
    path("api/v1/", include("practicehub.api.urls")),
]

if settings.OIDC_ENABLED:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
