"""A plan page draws the priority, objective and action step forms side by side, and a meeting
page the decision and action item forms: each label must name its own field, so no two fields
share an id (``id_text`` three times sent the "Action step" label to the priority's box)."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from django.urls import reverse

from practicehub.implementation.services import teams
from practicehub.implementation.tests.helpers import START, a_plan, a_team, an_objective
from practicehub.testing.personas import Personas


def repeated_ids(page: str) -> list[str]:
    return [name for name, count in Counter(re.findall(r'\sid="([^"]+)"', page)).items()
            if count > 1]


def label_targets(page: str) -> dict[str, str]:
    """Each label's text (without the required mark) and the id it points to."""
    return {re.sub(r"<abbr.*?</abbr>|<[^>]+>", "", text).strip(): target
            for target, text in re.findall(r'<label[^>]*for="([^"]+)"[^>]*>(.*?)</label>', page)}


def test_each_label_of_the_plan_page_names_a_field_of_its_own(
        personas: Personas, login_as: Any) -> None:
    lead = personas.fresno.lead
    plan = a_plan(lead, personas.fresno.county)
    an_objective(lead, plan)
    page = login_as(lead).get(reverse("implementation:plan_detail", args=[plan.pk])
                              ).content.decode()
    assert repeated_ids(page) == []
    labels = label_targets(page)
    assert labels["Action step"] == "action_text"
    assert labels["Priority"] == "priority_text"
    assert f'id="{labels["Action step"]}"' in page.split("Add an action step")[1]


def test_each_label_of_the_meeting_page_names_a_field_of_its_own(
        personas: Personas, login_as: Any) -> None:
    lead = personas.fresno.lead
    team = a_team(lead, personas.fresno.county)
    meeting = teams.record_meeting(lead, team, held_on=START, title="Kick-off", kind="regular")
    page = login_as(lead).get(reverse("implementation:meeting_detail", args=[meeting.pk])
                              ).content.decode()
    assert repeated_ids(page) == []
    labels = label_targets(page)
    assert (labels["Decision"], labels["Action item"]) == ("decision_text", "item_text")
