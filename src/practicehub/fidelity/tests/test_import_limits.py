"""An uploaded file over the upload limit: the import form comes back naming the limit and the
file's size, and nothing is imported."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from practicehub.fidelity.models import Observation, ObservationTool
from practicehub.fidelity.services.importing import CSV_FIELDS
from practicehub.testing.personas import Personas


def _csv(tool: ObservationTool, rows: int) -> bytes:
    codes = list(tool.behaviors.order_by("order").values_list("code", flat=True))
    lines = [",".join([*CSV_FIELDS, *codes])]
    lines += [f"r{n},fresno_worker,fresno_coach,coach,2025-01-10,home_visit,,,3,3,3,2,NA"
              for n in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def test_an_oversize_upload_shows_the_form_again_naming_the_limit_and_the_file_size(
    personas: Personas, tool: ObservationTool, login_as: Any, settings: Any,
) -> None:
    settings.MAX_UPLOAD_SIZE = 16 * 1024
    content = _csv(tool, 1000)
    assert len(content) > settings.MAX_UPLOAD_SIZE
    upload = SimpleUploadedFile("big.csv", content, "text/csv")
    response = login_as(personas.fresno.coach).post(reverse("fidelity:observation_import"), {
        "tool": tool.pk, "file_format": "csv", "file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    size = f"{len(content) / 1024:.1f} KB"
    assert f"The file “big.csv” is {size}; the largest file accepted is 16 KB." in page
    assert "Check and import" in page
    assert Observation.objects.count() == 0


def test_a_file_far_over_the_limit_is_refused_without_reading_it(
    personas: Personas, tool: ObservationTool, login_as: Any, settings: Any,
) -> None:
    settings.MAX_UPLOAD_SIZE = 4 * 1024
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4 * 1024
    upload = SimpleUploadedFile("huge.csv", _csv(tool, 1000), "text/csv")
    response = login_as(personas.fresno.coach).post(reverse("fidelity:observation_import"), {
        "tool": tool.pk, "file_format": "csv", "file": upload})
    assert response.status_code == 413
    assert "the largest accepted is 12 KB" in response.content.decode()
    assert Observation.objects.count() == 0


def test_a_file_within_the_limit_still_imports(
    personas: Personas, tool: ObservationTool, login_as: Any, settings: Any,
) -> None:
    settings.MAX_UPLOAD_SIZE = 16 * 1024
    upload = SimpleUploadedFile("small.csv", _csv(tool, 3), "text/csv")
    response = login_as(personas.fresno.coach).post(reverse("fidelity:observation_import"), {
        "tool": tool.pk, "file_format": "csv", "file": upload})
    assert response.status_code == 302
    assert Observation.objects.filter(reference__in=["r0", "r1", "r2"]).count() == 3
