"""Fidelity pages read as words and one kind of figure: scale labels beside scores, shares and
their intervals both in percent, no stray punctuation after a behavior's own full stop."""

from __future__ import annotations

import html
import re
from typing import Any

from django.urls import reverse

from practicehub.fidelity.models import ObservationTool
from practicehub.fidelity.tests.conftest import Observe
from practicehub.testing.personas import Personas


def test_an_observation_shows_each_rating_with_its_scale_label(
        personas: Personas, tool: ObservationTool, observe: Observe, login_as: Any) -> None:
    observation = observe(personas.fresno.practitioner, personas.fresno.coach, [3, 2, 1, 3, 3])
    page = html.unescape(login_as(personas.fresno.coach).get(
        reverse("fidelity:observation", args=[observation.pk])).content.decode())
    scale = tool.scale_def
    assert f"<td>3 {scale.label(3)}</td>" in page
    assert f"<td>1 {scale.label(1)}</td>" in page


def test_the_dashboard_gives_shares_and_intervals_in_percent_and_no_stray_punctuation(
        personas: Personas, tool: ObservationTool, observe: Observe, login_as: Any) -> None:
    fresno = personas.fresno
    for _ in range(3):
        observe(fresno.practitioner, fresno.coach, [3, 2, 1, 3, 3])
    page = html.unescape(login_as(fresno.coach).get(
        reverse("fidelity:dashboard"), {"tool": tool.pk}).content.decode())
    assert re.search(r"\d+% \(\d+–\d+%\)", page)
    assert not re.search(r"\d+% \(0\.\d+–", page), "a percent beside a proportion"
    assert ".:" not in re.sub(r"<[^>]+>", "", page)
