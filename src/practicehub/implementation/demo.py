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
from practicehub.accounts.models import User
from practicehub.accounts.roles import Role
from practicehub.fidelity.demo_profile import load_profile_demo
from practicehub.implementation.demo_builders import (
    D,
    months_ago,
    node_of,
    seed_team,
)
from practicehub.implementation.demo_fresno import FRESNO_PLAN_TITLE, load_fresno
from practicehub.implementation.demo_measures import load_measured
from practicehub.implementation.demo_reviews import load_reviews
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


def _sacramento_teams(actor: User, p: dict[str, User]) -> tuple[Team, Team, Team]:
    elt = seed_team(actor, "sacramento", "Sacramento executive leadership team",
                TeamKind.EXECUTIVE_LEADERSHIP,
                "Set direction for the practice model and remove barriers the teams raise.",
                "Approves the strategic implementation plan, budget and policy changes.",
                "monthly", [(p["sacramento.director"], TeamRole.CHAIR, None),
                            (p["sacramento.deputy"], TeamRole.MEMBER, None),
                            (p["fpg.specialist"], TeamRole.ADVISOR, None)])
    emt = seed_team(actor, "sacramento", "Sacramento executive management team",
                TeamKind.EXECUTIVE_MANAGEMENT,
                "Run day-to-day leadership and management of implementation.",
                "Assigns staff and resources within approved plans.", "biweekly",
                [(p["sacramento.deputy"], TeamRole.CHAIR, None),
                 (p["sacramento.manager"], TeamRole.MEMBER, None)])
    it = seed_team(actor, "sacramento-cps", "Sacramento CPS implementation team",
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
        actor, node=node_of("sacramento"), kind=PlanKind.STRATEGIC, title=SIP_TITLE,
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
        actor, node=node_of("sacramento"), kind=PlanKind.STRATEGIC,
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
    core = seed_team(actor, "ca", "State core team", TeamKind.STATE_CORE,
                 "Coordinate technical assistance to the sites and align state support.",
                 "Sets project priorities with the sites and the FPG team.", "weekly",
                 [(p["cdss.coordinator"], TeamRole.CHAIR, None),
                  (p["cfpic.coordinator"], TeamRole.COORDINATOR, None),
                  (p["fpg.specialist"], TeamRole.ADVISOR, None),
                  (p["fpg.coach"], TeamRole.ADVISOR, None)])
    ists = [core]
    for code in REGIONS:
        region = node_of(code)
        team = seed_team(actor, code, f"{region.name} implementation support team",
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
    fpg = node_of("fpg-unc")

    def log(node: str, kind: str, day: D, minutes: int, mode: str, summary: str,
            recipients: list[Team], drivers: list[str], competencies: list[str]) -> None:
        support.log_activity(actor, support.ActivityInput(
            node=node_of(node), kind=kind, occurred_on=day, duration_minutes=minutes, mode=mode,
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
        node = node_of(code)
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
        support.add_lesson(actor, node=node_of(node), title=title, body=body,
                           created_on=today - datetime.timedelta(days=45),
                           sharing=Sharing.STATEWIDE,
                           drivers=drivers, practices=practices)


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
            load_fresno(today)
    with transaction.atomic():
        made = load_measured(today)
    if made:
        progress(f"  {made} measured objectives' indicators, baselines from the data.")
    with transaction.atomic():
        held = load_reviews(today)
    if held:
        progress(f"  {held} reviews of progress with their decisions.")
    load_profile_demo(progress)  # the support teams exist now (fidelity's demo ran before)
    progress(f"Implementation demo: {Team.objects.count()} teams, "
             f"{TeamMember.objects.count()} members.")
