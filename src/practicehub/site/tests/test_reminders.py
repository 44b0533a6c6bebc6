"""Reminders: the home page counts what is each person's own to do; ``practicehub remind`` mails
one digest per person with only their own work, and not to those who turned it off."""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from practicehub.fidelity.services.coaching import start_plan
from practicehub.implementation.models import ActionStatus
from practicehub.implementation.services import plans, teams
from practicehub.implementation.tests.helpers import a_plan, a_team, an_objective
from practicehub.site.services import reminders
from practicehub.testing.personas import Personas

TODAY = datetime.date(2026, 4, 1)
D = datetime.date


@pytest.fixture
def work(personas: Personas) -> None:
    """Fresno's lead sits on a team with an overdue plan step and owns an overdue meeting item;
    the coach coaches a worker with no session in the last month; Humboldt's lead has nothing."""
    lead = personas.fresno.lead
    team = a_team(lead, personas.fresno.county)
    me = teams.add_member(lead, team, member=lead)
    plan = a_plan(lead, personas.fresno.county)
    objective = an_objective(lead, plan)
    plans.add_action(lead, objective, text="Train the coaches", responsible="",
                     responsible_team=team, target_on=D(2026, 3, 1))
    plans.add_action(lead, objective, text="Done already", responsible="", responsible_team=team,
                     target_on=D(2026, 2, 1), status=ActionStatus.DONE)
    plans.add_action(lead, objective, text="Not due yet", responsible="", responsible_team=team,
                     target_on=D(2026, 5, 1))
    meeting = teams.record_meeting(lead, team, held_on=D(2026, 3, 2), title="March meeting")
    teams.add_action_item(lead, meeting, text="Send the barrier list", owner=me,
                          due_on=D(2026, 3, 10))
    start_plan(personas.fresno.practitioner, personas.fresno.coach, None, D(2026, 1, 5))


def _counts(page: str) -> dict[str, str]:
    return dict(re.findall(r'<th scope="row">(?:<a href="[^"]*">)?([^<]+)(?:</a>)?</th>'
                           r'<td>(?:<strong>)?([^<]+)', page))


@pytest.mark.usefixtures("work")
def test_the_home_page_counts_each_persons_own_work(personas: Personas, login_as: Any,
                                                   settings: Any) -> None:
    lead = reminders.owed_by(personas.fresno.lead, TODAY)
    assert {k.key: k.count for k in lead} == {"actions": 1, "items": 1, "drafts": 0,
                                               "coaching": 0, "assessments": 0, "reviews": 0}
    coach = {k.key: k.count for k in reminders.owed_by(personas.fresno.coach, TODAY)}
    assert coach["coaching"] == 1
    page = login_as(personas.fresno.lead).get(reverse("core:home")).text
    assert _counts(page)["Overdue meeting action items"] == "1"
    assert 'name="send_digest" checked' in page
    other = login_as(personas.humboldt.lead).get(reverse("core:home")).text
    assert set(_counts(other).values()) == {"none"}


@pytest.mark.usefixtures("work")
def test_remind_dry_run_prints_each_persons_digest_and_sends_nothing(personas: Personas) -> None:
    out = io.StringIO()
    call_command("remind", "--dry-run", "--date", TODAY.isoformat(), stdout=out)
    text = out.getvalue()
    assert f"To: {personas.fresno.lead.email}" in text
    assert "Overdue plan action steps: 1" in text
    assert "Train the coaches (due 2026-03-01" in text
    assert "Send the barrier list (due 2026-03-10" in text
    assert "Done already" not in text
    assert "Not due yet" not in text
    assert f"To: {personas.fresno.coach.email}" in text
    assert "Coaching sessions due: 1" in text
    assert personas.humboldt.lead.email not in text
    assert "2 digests (dry run: nothing sent)." in text
    assert mail.outbox == []


@pytest.mark.usefixtures("work")
def test_remind_mails_one_digest_per_person_unless_they_turned_it_off(
    personas: Personas, login_as: Any,
) -> None:
    call_command("remind", "--date", TODAY.isoformat(), stdout=io.StringIO())
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [personas.fresno.lead.email, personas.fresno.coach.email])
    (to_lead,) = [m for m in mail.outbox if m.to == [personas.fresno.lead.email]]
    assert to_lead.subject == "practicehub: 2 things to do"
    assert "Coaching sessions due" not in to_lead.body
    client = login_as(personas.fresno.lead)
    answer = client.post(reverse("core:digest"), {})
    assert answer.status_code == 302
    home = client.get(reverse("core:home")).text
    assert "The daily digest is off" in home
    assert 'name="send_digest" checked' not in home
    mail.outbox.clear()
    call_command("remind", "--date", TODAY.isoformat(), stdout=io.StringIO())
    assert [m.to[0] for m in mail.outbox] == [personas.fresno.coach.email]


def test_remind_refuses_a_bad_date() -> None:
    with pytest.raises(CommandError, match="--date: 'soon' is not a date"):
        call_command("remind", "--date", "soon")
