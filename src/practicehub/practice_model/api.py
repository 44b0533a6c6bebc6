"""API: practice model versions and their full content, as in the YAML format."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from practicehub.api.errors import answers
from practicehub.practice_model.models import ModelVersion
from practicehub.practice_model.services import find_version, read_spec
from practicehub.practice_model.services.spec import spec_to_data

router = Router(tags=["practice models"])


class VersionOut(Schema):
    key: str
    version: str
    name: str
    status: str
    published_at: datetime | None


Entry = dict[str, Any]  # one entry of a list in the file; its fields are the file format's


class ModelVersionOut(Schema):
    """A version as its YAML file holds it (``docs/practice-model-format.md``); parts the
    version leaves empty are left out."""

    format: int
    key: str
    name: str
    version: str
    status: str
    description: str | None = None
    provenance: str | None = None
    framework: dict[str, str] | None = None
    values: list[Entry] | None = None
    practices: list[Entry] | None = None
    elements: list[Entry] | None = None
    behaviors: list[Entry]
    profile_levels: list[Entry] | None = None
    capacity_areas: list[Entry] | None = None
    systemic_issues: list[Entry] | None = None


@router.get("/versions", response=answers(list[VersionOut], takes_input=False),
            url_name="practice_model_versions")
def versions(request: HttpRequest) -> list[VersionOut]:
    return [VersionOut(key=v.key, version=v.label, name=v.name, status=v.status,
                       published_at=v.published_at) for v in ModelVersion.objects.all()]


@router.get("/versions/{key}/{version}", response=answers(ModelVersionOut, records=True),
            url_name="practice_model_version", exclude_unset=True)
def version(request: HttpRequest, key: str, version: str) -> ModelVersionOut:
    """The version's whole content in the documented YAML format's structure."""
    # An unknown key or version raises VersionNotFound, which answers 404.
    return ModelVersionOut(**spec_to_data(read_spec(find_version(f"{key}@{version}"))))
