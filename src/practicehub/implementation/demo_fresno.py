"""Fresno's part of the implementation demo: the county, office and community advisory teams,
their meetings, plans and support visits, dated back from today so they sit beside the fidelity
data of the same sites."""

from __future__ import annotations

import datetime

from practicehub.accounts.models import User
from practicehub.implementation.demo_builders import (
    D,
    add_objective,
    months_ago,
    node_of,
    seed_team,
)
from practicehub.implementation.models import (
    ActionStatus,
    Dimension,
    PlanKind,
    PlanStatus,
    Team,
    TeamKind,
    TeamRole,
)
from practicehub.implementation.services import plans, support, teams

FRESNO_PLAN_TITLE = "Fresno County strategic implementation plan"


def _fresno_teams(lead: User, p: dict[str, User], today: D) -> tuple[Team, Team, Team]:
    county = seed_team(
        lead, "fresno", "Fresno County implementation team", TeamKind.IMPLEMENTATION,
        "Put the practice model into daily work across Fresno's offices and bring what staff and "
        "families say back to leadership.", "Decides coaching routines, observation schedules "
        "and usability tests; asks leadership for anything beyond that.", "monthly",
        [(p["fresno.lead"], TeamRole.CHAIR, None), (p["fresno.coach"], TeamRole.MEMBER, None),
         (p["fresno.analyst"], TeamRole.MEMBER, None), (p["fresno.partner"], TeamRole.MEMBER, None),
         (p["central.support"], TeamRole.FACILITATOR, None),
         ("Parent partner representative", TeamRole.MEMBER, None)], months_ago(today, 26))
    office = seed_team(
        lead, "fresno-central", "Fresno Central practice team", TeamKind.IMPLEMENTATION,
        "Try the practice behaviors in the office's units and feed back what gets in the way.",
        "Sets the office's coaching and observation calendar.", "biweekly",
        [(p["fresno.coach"], TeamRole.CHAIR, None), (p["fresno.worker"], TeamRole.MEMBER, None),
         ("Unit B supervisor", TeamRole.MEMBER, None)], months_ago(today, 24))
    advisory = seed_team(
        lead, "fresno-community-partners", "Fresno African American community advisory",
        TeamKind.COMMUNITY_TRIBAL, "Bring the community's voice into how Fresno observes and "
        "improves practice.", "Advises the county implementation team; names its observers.",
        "monthly", [(p["fresno.partner"], TeamRole.CHAIR, None),
                    (p["fresno.lead"], TeamRole.MEMBER, None),
                    ("Faith leaders' council delegate", TeamRole.MEMBER, None)],
        months_ago(today, 20))
    return county, office, advisory


def _fresno_meetings(lead: User, team: Team, today: D, every: int, agenda: str) -> None:
    """Meetings every ``every`` days up to today, one still to come; the latest leaves one item
    overdue and one open, earlier ones are done."""
    members = list(team.members.all())
    count = 6
    for back in range(count, -1, -1):
        held = today - datetime.timedelta(days=every * back - 5 if back else -every // 2)
        meeting = teams.record_meeting(lead, team, held_on=held,
                                       title=f"{team.name}, {held:%B} {held.day}",
                                       agenda=agenda, attendees=members if back else [])
        if not back:
            continue
        teams.add_decision(lead, meeting, "Carry the barriers named today to the leadership "
                                          "agenda.")
        item = teams.add_action_item(lead, meeting, text="Send the barrier list to leadership",
                                     owner=members[back % len(members)],
                                     due_on=held + datetime.timedelta(days=10))
        if back > 1:
            teams.set_item_status(lead, item, "done")
        else:
            teams.add_action_item(lead, meeting, text="Book the next observation round",
                                  owner=members[0], due_on=today + datetime.timedelta(days=12))


def _fresno_plans(lead: User, county: Team, office: Team, advisory: Team, today: D) -> None:
    def day(days: int) -> D:
        return today + datetime.timedelta(days=days)

    plan = plans.create_plan(
        lead, node=node_of("fresno"), kind=PlanKind.STRATEGIC,
        title=f"{FRESNO_PLAN_TITLE} {months_ago(today, 10).year}", start_on=months_ago(today, 10),
        reassess_on=months_ago(today, -8), status=PlanStatus.ACTIVE, planning_team=county,
        definition_of_success="Two in three workers at fidelity; permanency within 12 months "
        "rising for African American and Native American children.",
        supports_needed="Monthly coaching from the Central academy; the analyst's monthly report.")
    add_objective(lead, plan, Dimension.WORKFORCE, "Coach every worker to the practice behaviors",
                   [("Train every supervisor as a coach", months_ago(today, 7), ActionStatus.DONE),
                    ("Observe each worker every two months", day(-20), ActionStatus.IN_PROGRESS),
                    ("Pair a community partner with each observation team", day(45),
                     ActionStatus.IN_PROGRESS)], county)
    add_objective(lead, plan, Dimension.DATA, "Use fidelity and outcome data at every meeting",
                   [("Build the monthly fidelity report with the analyst", months_ago(today, 6),
                     ActionStatus.DONE),
                    ("Review permanency disparities by race each quarter", day(-10),
                     ActionStatus.NOT_STARTED),
                    ("Share the outcome dashboard with community partners", day(75),
                     ActionStatus.NOT_STARTED)], county)
    add_objective(lead, plan, Dimension.ORGANIZATION_LEADERSHIP,
                   "Keep leadership linked to the implementation team",
                   [("A standing item on the leadership agenda", months_ago(today, 9),
                     ActionStatus.DONE)], county)
    unit = plans.create_plan(
        lead, node=node_of("fresno-central-unit-a"), kind=PlanKind.GENERAL,
        title="Fresno Central Unit A practice plan", start_on=months_ago(today, 4),
        reassess_on=months_ago(today, -8), status=PlanStatus.ACTIVE, planning_team=office,
        definition_of_success="Every family has a child and family team meeting within 60 days.")
    add_objective(lead, unit, Dimension.WORKFORCE, "A team meeting for every family in 60 days",
                   [("List the families without a team meeting", months_ago(today, 3),
                     ActionStatus.DONE),
                    ("Debrief each team meeting in supervision", day(-5), ActionStatus.IN_PROGRESS),
                    ("Invite each family's own supports", day(30), ActionStatus.IN_PROGRESS)],
                   office)
    partners = plans.create_plan(
        lead, node=node_of("fresno-community-partners"), kind=PlanKind.GENERAL,
        title="Community partners' engagement plan", start_on=months_ago(today, 6),
        reassess_on=months_ago(today, -6), status=PlanStatus.ACTIVE, planning_team=advisory,
        definition_of_success="A community partner on every observation team.")
    add_objective(lead, partners, Dimension.PARTNERSHIPS, "Partners on every observation team",
                   [("Recruit six partner observers", months_ago(today, 5), ActionStatus.DONE),
                    ("Train partner observers on the practice behaviors", day(-14),
                     ActionStatus.IN_PROGRESS),
                    ("Report back to the community each quarter", day(40),
                     ActionStatus.NOT_STARTED)], advisory)


def _fresno_support(support_lead: User, county: Team, office: Team, advisory: Team,
                    today: D) -> None:
    region = node_of("rta-central")

    def log(node: str, kind: str, back: int, minutes: int, mode: str, summary: str,
            recipients: list[Team], drivers: list[str], competencies: list[str]) -> None:
        support.log_activity(support_lead, support.ActivityInput(
            node=node_of(node), kind=kind, occurred_on=today - datetime.timedelta(days=back),
            duration_minutes=minutes, mode=mode, summary=summary, providers=[support_lead],
            provider_organisation=region, recipient_teams=recipients, drivers=drivers,
            competencies=competencies))

    for back in (160, 130, 100, 70, 40, 10):
        log("fresno", "coaching", back, 90, "virtual", "Coaching the implementation team on its "
            "observation schedule and the monthly fidelity report.", [county], ["coaching"],
            ["teams", "capacity"])
    for back in (115, 45):
        log("fresno", "site_visit", back, 6 * 60, "onsite", "Site visit: observed a team meeting "
            "and met the leadership team.", [county], ["leadership", "facilitative_admin"],
            ["context", "relationships"])
    for back in (55, 25):
        log("fresno-central", "coaching", back, 90, "onsite", "Coaching the Fresno Central "
            "practice team on debriefing observations.", [office], ["coaching"], ["teams"])
    log("fresno-central-unit-a", "coaching", 20, 60, "onsite", "Coaching Unit A on inviting "
        "families' own supports to team meetings.", [], ["coaching"], ["capacity"])
    log("fresno-community-partners", "workshop", 35, 3 * 60, "onsite", "Observation training "
        "for the community partner observers.", [advisory], ["fidelity"],
        ["co_learning", "facilitation"])


def load_fresno(today: D) -> None:
    p = {username: User.objects.get(username=username) for username in (
        "fresno.lead", "fresno.coach", "fresno.worker", "fresno.analyst", "fresno.partner",
        "central.support")}
    county, office, advisory = _fresno_teams(p["fresno.lead"], p, today)
    _fresno_meetings(p["fresno.lead"], county, today, 30, "Observation round; fidelity report; "
                     "barriers for leadership.")
    _fresno_meetings(p["fresno.lead"], office, today, 14, "Debrief of the fortnight's "
                     "observations; coaching calendar.")
    _fresno_meetings(p["fresno.lead"], advisory, today, 30, "What families told us; observer "
                     "recruitment.")
    _fresno_plans(p["fresno.lead"], county, office, advisory, today)
    _fresno_support(p["central.support"], county, office, advisory, today)
