"""Reviews in the demo: Fresno's implementation team reviews progress each quarter, and
Sacramento's executive leadership holds a quarterly strategic call, and Fresno Central's practice
team checks Unit A's practice plan, over the last four quarters
(each ten days after the quarter ended), with the decisions taken; the latest review of each
added an action step to its plan. Fresno's next review is a week ahead, so it shows under
"Reviews coming" on the home page. Loaded once: reruns find the reviews and add nothing."""

from __future__ import annotations

import datetime

from practicehub.accounts.models import User
from practicehub.implementation.demo_builders import D, node_of
from practicehub.implementation.models import (
    Objective,
    Plan,
    PlanStatus,
    Review,
    ReviewKind,
    Team,
)
from practicehub.implementation.services import reviews

QUARTERS = 4
AFTER_QUARTER_DAYS = 10

# Per site: who records, the team, the kind, and each quarter's title, notes and decisions
# (oldest first); the last quarter's first decision adds a step to the plan.
SITES = {
    "fresno": ("fresno.lead", "Fresno County implementation team", ReviewKind.TEAM_MEETING,
               "Quarterly progress review", [
                   ("Coaching rhythm settling; observations behind in two units.",
                    ["Keep monthly coaching for every supervisor.",
                     "Ask the region for a second observer in the southern units."]),
                   ("Fidelity share moving up; the permanency figure has not moved yet.",
                    ["Hold the permanency target; look again after two more quarters."]),
                   ("Family voice in team meetings is the weakest practice behavior.",
                    ["Run the advisory's listening sessions before the next review.",
                     "Share the usability test results with every office."]),
                   ("Two plan steps overdue; coaching hours fell over the summer.",
                    ["Re-plan the overdue observation step with a new date.",
                     "Keep the coaching calendar through the holidays."]),
               ]),
    "sacramento": ("sacramento.director", "Sacramento executive leadership team",
                   ReviewKind.STRATEGIC_CALL, "Quarterly strategic call", [
                       ("Coach training on schedule; data reports arrive late.",
                        ["The analyst sends the fidelity report by the 5th of each month."]),
                       ("Supervisors ask for protected time for coaching.",
                        ["Protect two hours a week of coaching time for supervisors."]),
                       ("The community partners want to see the figures by group.",
                        ["Show the permanency figures by race and ethnicity at each call."]),
                       ("Remaining supervisors still untrained as coaches.",
                        ["Train the last supervisors as coaches before the next call."]),
                   ]),
    # The unit's own practice plan, checked by the office's practice team (coach and workers).
    "fresno-central-unit-a": ("fresno.lead", "Fresno Central practice team",
                              ReviewKind.TEAM_MEETING, "Unit A practice check-in", [
                                  ("Observations started; the unit asks for a shared calendar.",
                                   ["Book each worker's observation a month ahead."]),
                                  ("Engagement ratings up; teaming still uneven.",
                                   ["Pair each worker with a peer for family team meetings."]),
                                  ("Two workers new to the unit since the last check-in.",
                                   ["Give the new workers a first observation within 30 days."]),
                                  ("Coaching sessions kept through the summer.",
                                   ["Add a practice huddle after each coaching round."]),
                              ]),
}


def quarter_ends(today: D, count: int = QUARTERS) -> list[D]:
    """The last days of the ``count`` quarters that ended before ``today``, oldest first."""
    start = D(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    ends = []
    for _ in range(count):
        start_prev = D(start.year - (start.month == 1), (start.month - 4) % 12 + 1, 1)
        ends.append(start - datetime.timedelta(days=1))
        start = start_prev
    return ends[::-1]


def _first_open_objective(site: str) -> Objective | None:
    plan = (Plan.objects.filter(node__code=site, status=PlanStatus.ACTIVE)
            .order_by("start_on", "pk").first())
    if plan is None:
        return None
    return plan.objectives.filter(closed_on__isnull=True).order_by("order", "pk").first()


def _site_reviews(site: str, today: D) -> int:
    username, team_name, kind, title, quarters = SITES[site]
    actor = User.objects.filter(username=username).first()
    team = Team.objects.filter(name=team_name).first()
    if actor is None or team is None:
        return 0
    node = node_of(site)
    made = 0
    for number, (end, (notes, decisions)) in enumerate(zip(quarter_ends(today), quarters,
                                                           strict=True), start=1):
        held = end + datetime.timedelta(days=AFTER_QUARTER_DAYS)
        review = reviews.create_review(actor, node=node, kind=kind, held_on=held, team=team,
                                       title=f"{title}, {end:%Y} Q{(end.month + 2) // 3}",
                                       notes=notes)
        for index, text in enumerate(decisions):
            objective = _first_open_objective(site)
            step = (reviews.NewAction(objective=objective, responsible=team_name,
                                      responsible_team=team,
                                      target_on=held + datetime.timedelta(days=60))
                    if number == QUARTERS and index == 0 and objective is not None else None)
            reviews.add_decision(actor, review, text, step)
        made += 1
    if site == "fresno":
        reviews.create_review(actor, node=node, kind=kind, team=team,
                              held_on=today + datetime.timedelta(days=7),
                              title=f"{title}, next quarter",
                              notes="Agenda: the overdue steps and the permanency figure.")
        made += 1
    return made


def load_reviews(today: D) -> int:
    """The demo's reviews; none when they are already there. Returns how many were made."""
    if Review.objects.filter(node__code__in=list(SITES)).exists():
        return 0
    return sum(_site_reviews(site, today) for site in SITES)
