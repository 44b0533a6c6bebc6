"""API: practice model versions and their full content, as in the YAML format."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from practicehub.practice_model.models import ModelVersion
from practicehub.practice_model.services import VersionNotFound, find_version, read_spec
from practicehub.practice_model.services.spec import spec_to_data

router = Router(tags=["practice models"])


class VersionOut(Schema):
    key: str
    version: str
    name: str
    status: str
    published_at: datetime | None


@router.get("/versions", response=list[VersionOut], url_name="practice_model_versions")
def versions(request: HttpRequest) -> list[VersionOut]:
    return [VersionOut(key=v.key, version=v.label, name=v.name, status=v.status,
                       published_at=v.published_at) for v in ModelVersion.objects.all()]


@router.get("/versions/{key}/{version}", url_name="practice_model_version")
def version(request: HttpRequest, key: str, version: str) -> dict[str, Any]:
    """The version's whole content in the documented YAML format's structure."""
    try:
        found = find_version(f"{key}@{version}")
    except VersionNotFound:
        raise Http404 from None
    return spec_to_data(read_spec(found))
