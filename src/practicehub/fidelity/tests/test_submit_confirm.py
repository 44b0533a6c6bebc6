"""Submitting locks an observation for good, so it takes a confirm step showing what is locked
(issue 14); a draft changed after the confirm page was drawn is not locked unseen."""

from __future__ import annotations

import html
from typing import Any

from django.urls import reverse

from practicehub.fidelity.models import Observation, ObservationTool
from practicehub.fidelity.services.observations import save_draft
from practicehub.fidelity.tests.conftest import Observe
from practicehub.testing.personas import Personas


def _draft(personas: Personas, observe: Observe) -> Observation:
    return observe(personas.fresno.practitioner, personas.fresno.coach, [3, 2, 3, 3, 3],
                   submit_it=False)


def test_submit_asks_to_confirm_before_it_locks(
        personas: Personas, tool: ObservationTool, observe: Observe, login_as: Any) -> None:
    observation = _draft(personas, observe)
    client = login_as(personas.fresno.coach)
    edit = reverse("fidelity:observation_edit", args=[observation.pk])
    fields = {f"b{r.behavior_id}": str(r.score) for r in observation.ratings.all()}
    review = client.post(edit, {**fields, "notes": "", "submit": "",
                                "edit_version": observation.edit_version}, follow=True)
    page = html.unescape(review.content.decode())
    observation.refresh_from_db()
    assert observation.status == "draft"
    assert "Submitting locks these ratings for good" in page
    assert f"<td>2 {tool.scale_def.label(2)}</td>" in page
    confirmed = client.post(reverse("fidelity:observation_submit", args=[observation.pk]),
                            {"edit_version": observation.edit_version}, follow=True)
    observation.refresh_from_db()
    assert observation.status == "submitted"
    assert "Observation submitted and locked." in confirmed.content.decode()


def test_a_draft_changed_after_the_confirm_page_is_not_locked(
        personas: Personas, tool: ObservationTool, observe: Observe, login_as: Any) -> None:
    observation = _draft(personas, observe)
    client = login_as(personas.fresno.coach)
    url = reverse("fidelity:observation_submit", args=[observation.pk])
    assert client.get(url).status_code == 200
    shown_version = observation.edit_version
    first = observation.ratings.order_by("behavior__order").first()
    assert first is not None
    save_draft(observation, personas.fresno.coach, {first.behavior_id: ("rated", 1)})
    refused = client.post(url, {"edit_version": shown_version})
    assert refused.status_code == 409
    assert "Someone else saved this" in html.unescape(refused.content.decode())
    observation.refresh_from_db()
    assert observation.status == "draft"
