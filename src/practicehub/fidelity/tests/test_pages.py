"""The fidelity pages as plain form posts (no JavaScript needed), and who may use them."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from practicehub.fidelity.models import Observation, ObservationTool
from practicehub.fidelity.tests.conftest import Observe
from practicehub.testing.personas import Personas


def test_a_coach_records_saves_a_draft_and_submits_with_plain_forms(
    personas: Personas, tool: ObservationTool, login_as: Any,
) -> None:
    client = login_as(personas.fresno.coach)
    response = client.post(reverse("fidelity:observation_start"), {
        "tool": tool.pk, "worker": personas.fresno.practitioner.pk,
        "observed_on": "2025-03-04", "setting": "home_visit", "observer_kind": "coach"})
    observation = Observation.objects.get()
    assert response["Location"] == reverse("fidelity:observation_edit", args=[observation.pk])
    fields = {f"b{b}": "3" for b in tool.behaviors.values_list("id", flat=True)}
    client.post(reverse("fidelity:observation_edit", args=[observation.pk]),
                {**fields, "notes": "Warm engagement", "save": "", "edit_version": 1})
    observation.refresh_from_db()
    assert (observation.status, observation.notes) == ("draft", "Warm engagement")
    review = client.post(reverse("fidelity:observation_edit", args=[observation.pk]),
                         {**fields, "notes": "Warm engagement", "submit": "", "edit_version": 2})
    assert review["Location"] == reverse("fidelity:observation_submit", args=[observation.pk])
    observation.refresh_from_db()
    assert observation.status == "draft"
    client.post(review["Location"], {"edit_version": 3})
    observation.refresh_from_db()
    assert observation.status == "submitted"
    assert observation.meets_fidelity is True
    page = client.get(reverse("fidelity:observation", args=[observation.pk])).content.decode()
    assert "Amend" in page
    assert "Continue rating" not in page


def test_an_amendment_without_a_reason_is_refused_and_changes_nothing(
    personas: Personas, observe: Observe, login_as: Any,
) -> None:
    observation = observe(personas.fresno.practitioner, personas.fresno.coach, [3, 3, 3])
    client = login_as(personas.fresno.coach)
    first = observation.ratings.order_by("behavior__order").first()
    assert first is not None
    url = reverse("fidelity:observation_amend", args=[observation.pk])
    fields = {f"b{r.behavior_id}": (str(r.score) if r.score else r.mark)
              for r in observation.ratings.all()} | {"edit_version": observation.edit_version}
    response = client.post(url, {**fields, f"b{first.behavior_id}": "1", "reason": ""})
    assert response.status_code == 400
    first.refresh_from_db()
    assert first.score == 3
    client.post(url, {**fields, f"b{first.behavior_id}": "1", "reason": "Misread my notes"})
    page = client.get(reverse("fidelity:observation", args=[observation.pk])).content.decode()
    assert "Misread my notes" in page
    assert f"{first.behavior.code}: 3 → 1" in page


def test_a_bad_import_lists_the_problems_on_the_page(
    personas: Personas, tool: ObservationTool, login_as: Any,
) -> None:
    upload = SimpleUploadedFile("obs.csv", b"reference,worker\nr1,nobody\n", "text/csv")
    response = login_as(personas.fresno.coach).post(reverse("fidelity:observation_import"), {
        "tool": tool.pk, "file_format": "csv", "file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Problems found; nothing was imported" in page
    assert "<td>observed_on</td><td>missing column</td>" in page


def test_the_dashboard_shows_scores_charts_and_priorities(
    personas: Personas, observe: Observe, login_as: Any,
) -> None:
    for month in (1, 2, 3):
        observe(personas.fresno.practitioner, personas.fresno.coach, [3, 2, 1, 3, 3],
                on=date(2025, month, 10))
    page = login_as(personas.fresno.coach).get(
        reverse("fidelity:dashboard"), {"node": "fresno-central", "level": "worker"},
    ).content.decode()
    assert "<caption>Scores by behavior</caption>" in page
    assert "<svg" in page
    assert "Coaching priorities" in page
    assert "small number" in page
    assert str(personas.fresno.practitioner) in page


def test_only_tool_configurers_create_tools(personas: Personas, login_as: Any) -> None:
    assert login_as(personas.fresno.coach).get(
        reverse("fidelity:tool_create")).status_code == 403
    assert login_as(personas.state_admin).get(
        reverse("fidelity:tool_create")).status_code == 200


def test_practitioners_and_partners_cannot_record_observations(
    personas: Personas, login_as: Any,
) -> None:
    for person in (personas.fresno.practitioner, personas.fresno.partner):
        assert login_as(person).get(reverse("fidelity:observation_start")).status_code == 403


def test_an_admin_creates_a_tool_with_its_rule(
    personas: Personas, tool: ObservationTool, login_as: Any,
) -> None:
    behaviors = list(tool.behaviors.values_list("id", flat=True)[:2])
    response = login_as(personas.state_admin).post(reverse("fidelity:tool_create"), {
        "name": "Home visit check", "version": tool.version_id, "scale": "five_point",
        "behaviors": behaviors, "settings": ["home_visit"], "proficient_score": "",
        "observation_share": "75", "worker_latest": "2", "worker_meeting": "1"})
    assert response.status_code == 302
    created = ObservationTool.objects.get(name="Home visit check")
    assert (created.proficient_score, created.observation_share) == (4, 75)
