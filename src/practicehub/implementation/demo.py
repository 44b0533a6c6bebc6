"""The implementation support seed world, as the seed documents describe it.

Sacramento CPS's executive leadership, executive management and implementation teams with the
2019 strategic implementation plan; the state core team (CFPIC and CDSS staff with FPG partners);
each training academy region's implementation support team with its external implementation
support plan; strategic calls weekly, then every two weeks; seven site visits; monthly
behavioral coaching; stages of implementation at the seed sites; lessons shared across regions.
Every figure is fixed so the demo is the same each time; people are synthetic.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from practicehub.accounts.demo import DemoLogin, ensure_person
from practicehub.accounts.models import OrgNode, User
from practicehub.accounts.roles import Role
from practicehub.implementation.models import (
    ActionStatus,
    Dimension,
    MeetingKind,
    Plan,
    PlanKind,
    PlanStatus,
    Rating,
    Sharing,
    Stage,
    Team,
    TeamKind,
    TeamMember,
    TeamRole,
)
from practicehub.implementation.services import plans, stages, support, teams
from practicehub.implementation.services.views_support import current_model

SIP_TITLE = "2019 Strategic Implementation Plan"
D = datetime.date

PEOPLE = (
    DemoLogin("sacramento.director", "Irene", "Castillo", Role.COUNTY_LEAD, "sacramento"),
    DemoLogin("sacramento.deputy", "Owen", "Tran", Role.COUNTY_LEAD, "sacramento"),
    DemoLogin("sacramento.manager", "Priya", "Sandhu", Role.COACH, "sacramento-cps"),
    DemoLogin("sacramento.it.lead", "Gabe", "Moreno", Role.COUNTY_LEAD, "sacramento-cps"),
    DemoLogin("cdss.coordinator", "Helen", "Kato", Role.STATE_ADMIN, "ca"),
    DemoLogin("cfpic.coordinator", "Ruth", "Abara", Role.PARTNER, "cfpic"),
    DemoLogin("fpg.specialist", "Morgan", "Ellery", Role.PARTNER, "fpg-unc"),
    DemoLogin("fpg.coach", "Jordan", "Whitcomb", Role.PARTNER, "fpg-unc"),
)
REGIONS = ("rta-bay", "rta-central", "rta-northern", "rta-southern", "rta-la")
SITE_VISITS = (("fresno", D(2018, 2, 14)), ("humboldt", D(2018, 4, 18)),
               ("santa-clara", D(2018, 6, 20)), ("los-angeles", D(2018, 8, 22)),
               ("sacramento", D(2019, 3, 13)), ("fresno", D(2019, 6, 12)),
               ("sacramento", D(2019, 9, 18)))
FRESNO_PLAN_TITLE = "Fresno County strategic implementation plan"


def months_ago(today: D, months: int) -> D:
    """The first of the month ``months`` before ``today``'s (negative: after)."""
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    return D(year, month + 1, 1)


def stage_history(today: D) -> dict[str, list[tuple[Stage, D]]]:
    """Each seed site's stages, counted back from today so they fit the fidelity data: initial
    implementation starts just before the observations (two years back) do."""
    return {
        "fresno": [(Stage.EXPLORATION, months_ago(today, 50)),
                   (Stage.INSTALLATION, months_ago(today, 38)),
                   (Stage.INITIAL, months_ago(today, 25))],
        "fresno-central": [(Stage.INSTALLATION, months_ago(today, 32)),
                           (Stage.INITIAL, months_ago(today, 25))],
        "fresno-southeast": [(Stage.INSTALLATION, months_ago(today, 30)),
                             (Stage.INITIAL, months_ago(today, 24))],
        "humboldt": [(Stage.EXPLORATION, months_ago(today, 46)),
                     (Stage.INSTALLATION, months_ago(today, 36)),
                     (Stage.INITIAL, months_ago(today, 25))],
        "santa-clara": [(Stage.EXPLORATION, months_ago(today, 40)),
                        (Stage.INSTALLATION, months_ago(today, 26))],
        "sacramento": [(Stage.EXPLORATION, D(2016, 9, 1)), (Stage.INSTALLATION, D(2019, 3, 1)),
                       (Stage.INITIAL, months_ago(today, 25))],
    }


def _people() -> dict[str, User]:
    return {login.username: ensure_person(login) for login in PEOPLE}


def _node(code: str) -> OrgNode:
    return OrgNode.objects.get(code=code)


def _team(actor: User, node: str, name: str, kind: str, purpose: str, authority: str,
          cadence: str, members: list[tuple[User | str, str, str | None]],
          formed_on: D | None = None) -> Team:
    team = teams.create_team(actor, node=_node(node), name=name, kind=kind, purpose=purpose,
                             decision_authority=authority, cadence=cadence, formed_on=formed_on,
                             communication_protocol="Notes within two working days; decisions "
                             "and open items reported at the next linked team's meeting.")
    for who, role, organisation in members:
        if isinstance(who, User):
            teams.add_member(actor, team, member=who, role=role)
        else:
            teams.add_member(actor, team, name=who, role=role,
                             organisation=_node(organisation) if organisation else None)
    return team


def _sacramento_teams(actor: User, p: dict[str, User]) -> tuple[Team, Team, Team]:
    elt = _team(actor, "sacramento", "Sacramento executive leadership team",
                TeamKind.EXECUTIVE_LEADERSHIP,
                "Set direction for the practice model and remove barriers the teams raise.",
                "Approves the strategic implementation plan, budget and policy changes.",
                "monthly", [(p["sacramento.director"], TeamRole.CHAIR, None),
                            (p["sacramento.deputy"], TeamRole.MEMBER, None),
                            (p["fpg.specialist"], TeamRole.ADVISOR, None)])
    emt = _team(actor, "sacramento", "Sacramento executive management team",
                TeamKind.EXECUTIVE_MANAGEMENT,
                "Run day-to-day leadership and management of implementation.",
                "Assigns staff and resources within approved plans.", "biweekly",
                [(p["sacramento.deputy"], TeamRole.CHAIR, None),
                 (p["sacramento.manager"], TeamRole.MEMBER, None)])
    it = _team(actor, "sacramento-cps", "Sacramento CPS implementation team",
               TeamKind.IMPLEMENTATION,
               "Make the practice model happen in daily work and carry what staff learn back "
               "to leadership.", "Decides on usability tests and coaching routines; asks the "
               "management team for anything beyond that.", "monthly",
               [(p["sacramento.it.lead"], TeamRole.CHAIR, None),
                (p["sacramento.manager"], TeamRole.MEMBER, None),
                ("Parent partner representative", TeamRole.MEMBER, None),
                ("Casey Family Programs consultant", TeamRole.ADVISOR, "casey"),
                (p["fpg.specialist"], TeamRole.FACILITATOR, None)])
    return elt, emt, it


def _sacramento_plan(actor: User, it: Team) -> None:
    plan = plans.create_plan(
        actor, node=_node("sacramento"), kind=PlanKind.STRATEGIC, title=SIP_TITLE,
        start_on=D(2019, 3, 1), reassess_on=D(2020, 6, 30), status=PlanStatus.COMPLETED,
        planning_team=it, definition_of_success="An implementation team that meets monthly, "
        "links to leadership, and has coaching in place in every unit.",
        supports_needed="Monthly behavioral coaching and quarterly workshops from FPG.")
    layout = [
        (Dimension.ORGANIZATION_LEADERSHIP, "Install the implementation team",
         [("Orient the new implementation team", D(2019, 4, 15), ActionStatus.DONE),
          ("Agree the team charter and communication protocol", D(2019, 5, 31),
           ActionStatus.DONE),
          ("Link implementation team reports to the leadership agenda", D(2019, 7, 31),
           ActionStatus.DONE)]),
        (Dimension.WORKFORCE, "Coach supervisors to the practice behaviors",
         [("Choose a coaching routine", D(2019, 6, 30), ActionStatus.DONE),
          ("Start coaching in two units", D(2019, 10, 31), ActionStatus.DONE),
          ("Extend coaching to every unit", D(2020, 3, 31), ActionStatus.DROPPED)]),
        (Dimension.DATA, "Use data to steer implementation",
         [("Define three measures for the team's monthly review", D(2019, 8, 31),
           ActionStatus.DONE)]),
    ]
    for dimension, objective_text, actions in layout:
        priority = plans.add_priority(actor, plan, dimension=dimension, text=objective_text)
        objective = plans.add_objective(actor, plan, text=objective_text, priority=priority)
        for text, target, status in actions:
            plans.add_action(actor, objective, text=text, responsible=str(it), target_on=target,
                             status=status)
    today = timezone.localdate()
    current = plans.create_plan(
        actor, node=_node("sacramento"), kind=PlanKind.STRATEGIC,
        title=f"{months_ago(today, 8).year} Strategic Implementation Plan",
        start_on=months_ago(today, 8), reassess_on=months_ago(today, -10),
        status=PlanStatus.ACTIVE, planning_team=it,
        definition_of_success="Every unit coached monthly; permanency within 12 months rising "
        "for African American and Native American children.")
    objective = plans.add_objective(actor, current, text="Coach every unit monthly")
    for text, target, status in (("Train the remaining supervisors as coaches",
                                  months_ago(today, 5), ActionStatus.DONE),
                                 ("Schedule monthly coaching in every unit", months_ago(today, -2),
                                  ActionStatus.IN_PROGRESS),
                                 ("Review coaching data with the leadership team",
                                  months_ago(today, -5), ActionStatus.NOT_STARTED)):
        plans.add_action(actor, objective, text=text, responsible=str(it), target_on=target,
                         status=status)


def _meetings(actor: User, it: Team) -> None:
    members = list(it.members.all())
    owner = members[0]
    for month in range(4, 13):
        meeting = teams.record_meeting(
            actor, it, held_on=D(2019, month, 10), title=f"Implementation team, {month}/2019",
            agenda="Open items; coaching update; data review; barriers for leadership.",
            attendees=members[: 3 + month % 3])
        teams.add_decision(actor, meeting, f"Carry the month's barriers to the leadership team "
                                           f"(meeting {month - 3}).")
        item = teams.add_action_item(actor, meeting, text="Send the barrier list to the ELT",
                                     owner=owner, due_on=D(2019, month, 20))
        teams.set_item_status(actor, item, "done")
    teams.record_meeting(
        actor, it, held_on=D(2019, 12, 12), title="After-action review of the first year",
        kind=MeetingKind.AFTER_ACTION, attendees=members, review={
            "aar_intended": "Coaching in every unit by December.",
            "aar_happened": "Coaching started in two units; the others waited for coach training.",
            "aar_why": "Coach training was scheduled later than the plan assumed.",
            "aar_next": "Keep monthly linkage with the ELT; schedule coach training first."})


def _state_and_regions(actor: User, p: dict[str, User]) -> list[Team]:
    core = _team(actor, "ca", "State core team", TeamKind.STATE_CORE,
                 "Coordinate technical assistance to the sites and align state support.",
                 "Sets project priorities with the sites and the FPG team.", "weekly",
                 [(p["cdss.coordinator"], TeamRole.CHAIR, None),
                  (p["cfpic.coordinator"], TeamRole.COORDINATOR, None),
                  (p["fpg.specialist"], TeamRole.ADVISOR, None),
                  (p["fpg.coach"], TeamRole.ADVISOR, None)])
    ists = [core]
    for code in REGIONS:
        region = _node(code)
        team = _team(actor, code, f"{region.name} implementation support team",
                     TeamKind.REGIONAL_SUPPORT,
                     "Give the region's counties implementation support for the practice model.",
                     "Plans and delivers support within the academy's agreement.", "monthly",
                     [(f"{region.name} academy lead", TeamRole.CHAIR, None),
                      (p["fpg.coach"], TeamRole.ADVISOR, None)])
        plan = plans.create_plan(
            actor, node=region, kind=PlanKind.EXTERNAL_SUPPORT,
            title=f"External implementation support plan: {region.name}",
            start_on=D(2018, 7, 1), reassess_on=D(2019, 12, 31), status=PlanStatus.COMPLETED,
            planning_team=team, definition_of_success="The team supports its counties on its "
            "own, with a shared practice profile for implementation support.")
        objective = plans.add_objective(actor, plan, text="Strengthen the team's support skills")
        for text, target in (("Virtual adult learning sessions", D(2018, 12, 31)),
                             ("Monthly behavioral coaching by phone and video", D(2019, 12, 31)),
                             ("Join the cross-academy peer network", D(2019, 6, 30))):
            plans.add_action(actor, objective, text=text, responsible="FPG and the team",
                             target_on=target, status=ActionStatus.DONE)
        ists.append(team)
    return ists


def _support_log(actor: User, p: dict[str, User], core: Team, elt: Team, it: Team) -> None:
    fpg = _node("fpg-unc")

    def log(node: str, kind: str, day: D, minutes: int, mode: str, summary: str,
            recipients: list[Team], drivers: list[str], competencies: list[str]) -> None:
        support.log_activity(actor, support.ActivityInput(
            node=_node(node), kind=kind, occurred_on=day, duration_minutes=minutes, mode=mode,
            summary=summary, providers=[p["fpg.specialist"]], provider_organisation=fpg,
            recipient_teams=recipients, drivers=drivers, competencies=competencies))

    # Strategic calls with the state core team: weekly through 2017, then every two weeks.
    day = D(2017, 1, 9)
    while day <= D(2019, 12, 31):
        log("ca", "strategic_call", day, 60, "phone", "Progress, upcoming activities, priorities.",
            [core], ["leadership"], ["communication", "co_learning"])
        day += datetime.timedelta(days=7 if day.year == 2017 else 14)
    for code, visit in SITE_VISITS:
        log(code, "site_visit", visit, 6 * 60, "onsite", "Site visit with the local teams.", [],
            ["coaching", "facilitative_admin"], ["context", "relationships"])
    for month in range(3, 13):
        log("sacramento", "coaching", D(2019, month, 5), 90, "virtual",
            "Behavioral coaching with the ELT on supporting the implementation team.", [elt],
            ["leadership"], ["leaders", "teams"])
        log("sacramento-cps", "coaching", D(2019, month, 6), 90, "virtual",
            "Behavioral coaching with the implementation team on ELT and EMT linkage.", [it],
            ["coaching"], ["teams", "capacity"])
        if month % 3 == 0:
            log("sacramento", "workshop", D(2019, month, 20), 7 * 60, "onsite",
                "Full-day workshop with the ELT and implementation team together.", [elt, it],
                ["systems_intervention"], ["co_design", "facilitation"])


def _stages(actor: User, today: D) -> None:
    version = current_model()
    if version is None:
        return
    checklists = stages.shipped_checklists()
    for code, entered in stage_history(today).items():
        node = _node(code)
        for stage, day in entered:
            stages.record_stage(actor, node=node, model_version=version, stage=stage,
                                entered_on=day, evidence="From the site's project records.")
        reached = [stage for stage, _ in entered]
        for stage, day in entered:
            activities = checklists.activities[stage]
            # Past stages are fully established; the current one about half-way.
            done = len(activities) if stage != reached[-1] else len(activities) // 2
            for index, activity in enumerate(activities):
                rating = Rating.ESTABLISHED if index < done else Rating.IN_PROCESS
                stages.rate_activity(actor, node=node, model_version=version,
                                     activity=activity.code, rating=rating,
                                     completed_on=min(today, day + datetime.timedelta(
                                         days=30 * (index + 1)))
                                     if rating == Rating.ESTABLISHED else None)


def _lessons(actor: User, today: D) -> None:
    version = current_model()
    practices = list(version.practice_set.order_by("order")[:1]) if version else []
    for node, title, body, drivers in (
        ("sacramento", "Link the implementation team to leadership every month",
         "A standing item on the ELT agenda for the implementation team's barriers kept "
         "decisions moving.", ["leadership", "facilitative_admin"]),
        ("rta-central", "Coach the coaches before scaling",
         "Units started coaching faster once supervisors had practised coaching themselves.",
         ["coaching"]),
        ("fresno", "Bring community partners into observation teams early",
         "Community partners on observation teams improved trust in the fidelity data.",
         ["fidelity"]),
    ):
        support.add_lesson(actor, node=_node(node), title=title, body=body,
                           created_on=today - datetime.timedelta(days=45),
                           sharing=Sharing.STATEWIDE,
                           drivers=drivers, practices=practices)


Action = tuple[str, D, str]


def _add_objective(actor: User, plan: Plan, dimension: str, text: str, actions: list[Action],
                   responsible: Team) -> None:
    """An objective with its actions; done ones carry the day they were finished."""
    priority = plans.add_priority(actor, plan, dimension=dimension, text=text)
    objective = plans.add_objective(actor, plan, text=text, priority=priority)
    for action_text, target, status in actions:
        action = plans.add_action(actor, objective, text=action_text, responsible=str(responsible),
                                  responsible_team=responsible, target_on=target)
        if status != ActionStatus.NOT_STARTED:
            plans.set_action_status(actor, action, status, min(target, timezone.localdate()))


def _fresno_teams(lead: User, p: dict[str, User], today: D) -> tuple[Team, Team, Team]:
    county = _team(
        lead, "fresno", "Fresno County implementation team", TeamKind.IMPLEMENTATION,
        "Put the practice model into daily work across Fresno's offices and bring what staff and "
        "families say back to leadership.", "Decides coaching routines, observation schedules "
        "and usability tests; asks leadership for anything beyond that.", "monthly",
        [(p["fresno.lead"], TeamRole.CHAIR, None), (p["fresno.coach"], TeamRole.MEMBER, None),
         (p["fresno.analyst"], TeamRole.MEMBER, None), (p["fresno.partner"], TeamRole.MEMBER, None),
         (p["central.support"], TeamRole.FACILITATOR, None),
         ("Parent partner representative", TeamRole.MEMBER, None)], months_ago(today, 26))
    office = _team(
        lead, "fresno-central", "Fresno Central practice team", TeamKind.IMPLEMENTATION,
        "Try the practice behaviors in the office's units and feed back what gets in the way.",
        "Sets the office's coaching and observation calendar.", "biweekly",
        [(p["fresno.coach"], TeamRole.CHAIR, None), (p["fresno.worker"], TeamRole.MEMBER, None),
         ("Unit B supervisor", TeamRole.MEMBER, None)], months_ago(today, 24))
    advisory = _team(
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
        lead, node=_node("fresno"), kind=PlanKind.STRATEGIC,
        title=f"{FRESNO_PLAN_TITLE} {months_ago(today, 10).year}", start_on=months_ago(today, 10),
        reassess_on=months_ago(today, -8), status=PlanStatus.ACTIVE, planning_team=county,
        definition_of_success="Two in three workers at fidelity; permanency within 12 months "
        "rising for African American and Native American children.",
        supports_needed="Monthly coaching from the Central academy; the analyst's monthly report.")
    _add_objective(lead, plan, Dimension.WORKFORCE, "Coach every worker to the practice behaviors",
                   [("Train every supervisor as a coach", months_ago(today, 7), ActionStatus.DONE),
                    ("Observe each worker every two months", day(-20), ActionStatus.IN_PROGRESS),
                    ("Pair a community partner with each observation team", day(45),
                     ActionStatus.IN_PROGRESS)], county)
    _add_objective(lead, plan, Dimension.DATA, "Use fidelity and outcome data at every meeting",
                   [("Build the monthly fidelity report with the analyst", months_ago(today, 6),
                     ActionStatus.DONE),
                    ("Review permanency disparities by race each quarter", day(-10),
                     ActionStatus.NOT_STARTED),
                    ("Share the outcome dashboard with community partners", day(75),
                     ActionStatus.NOT_STARTED)], county)
    _add_objective(lead, plan, Dimension.ORGANIZATION_LEADERSHIP,
                   "Keep leadership linked to the implementation team",
                   [("A standing item on the leadership agenda", months_ago(today, 9),
                     ActionStatus.DONE)], county)
    unit = plans.create_plan(
        lead, node=_node("fresno-central-unit-a"), kind=PlanKind.GENERAL,
        title="Fresno Central Unit A practice plan", start_on=months_ago(today, 4),
        reassess_on=months_ago(today, -8), status=PlanStatus.ACTIVE, planning_team=office,
        definition_of_success="Every family has a child and family team meeting within 60 days.")
    _add_objective(lead, unit, Dimension.WORKFORCE, "A team meeting for every family in 60 days",
                   [("List the families without a team meeting", months_ago(today, 3),
                     ActionStatus.DONE),
                    ("Debrief each team meeting in supervision", day(-5), ActionStatus.IN_PROGRESS),
                    ("Invite each family's own supports", day(30), ActionStatus.IN_PROGRESS)],
                   office)
    partners = plans.create_plan(
        lead, node=_node("fresno-community-partners"), kind=PlanKind.GENERAL,
        title="Community partners' engagement plan", start_on=months_ago(today, 6),
        reassess_on=months_ago(today, -6), status=PlanStatus.ACTIVE, planning_team=advisory,
        definition_of_success="A community partner on every observation team.")
    _add_objective(lead, partners, Dimension.PARTNERSHIPS, "Partners on every observation team",
                   [("Recruit six partner observers", months_ago(today, 5), ActionStatus.DONE),
                    ("Train partner observers on the practice behaviors", day(-14),
                     ActionStatus.IN_PROGRESS),
                    ("Report back to the community each quarter", day(40),
                     ActionStatus.NOT_STARTED)], advisory)


def _fresno_support(support_lead: User, county: Team, office: Team, advisory: Team,
                    today: D) -> None:
    region = _node("rta-central")

    def log(node: str, kind: str, back: int, minutes: int, mode: str, summary: str,
            recipients: list[Team], drivers: list[str], competencies: list[str]) -> None:
        support.log_activity(support_lead, support.ActivityInput(
            node=_node(node), kind=kind, occurred_on=today - datetime.timedelta(days=back),
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


def _fresno(today: D) -> None:
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


def load_demo(progress: Callable[[str], None]) -> None:
    today = timezone.localdate()
    if Plan.objects.filter(title=SIP_TITLE).exists():
        progress("Implementation demo data already present.")
    else:
        progress("Creating teams, plans, stages and the support log …")
        with transaction.atomic():
            p = _people()
            actor = p["cdss.coordinator"]
            elt, _, it = _sacramento_teams(actor, p)
            _sacramento_plan(actor, it)
            _meetings(actor, it)
            core, *_ = _state_and_regions(actor, p)
            _support_log(actor, p, core, elt, it)
            _stages(actor, today)
            _lessons(actor, today)
    demo_users = User.objects.filter(username__in=["fresno.lead", "central.support"]).count()
    if demo_users == 2 and not Plan.objects.filter(title__startswith=FRESNO_PLAN_TITLE).exists():
        progress("Creating Fresno's teams, meetings, plans and support visits …")
        with transaction.atomic():
            _fresno(today)
    progress(f"Implementation demo: {Team.objects.count()} teams, "
             f"{TeamMember.objects.count()} members.")
