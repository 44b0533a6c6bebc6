"""The reports demo: Fresno's System Improvement Plan, three strategies judged against outcome
measures whose baselines are filled from the demo's outcome data (three to four years before
today, so the annual progress report has yearly actuals). Runs after the implementation and
outcomes demos (app order); loading again adds nothing."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from practicehub.accounts.models import OrgNode, User
from practicehub.implementation.models import (
    ActionStatus,
    Direction,
    Objective,
    Plan,
    PlanKind,
    PlanStatus,
)
from practicehub.implementation.services import indicator_edits, plans
from practicehub.implementation.services.access import InvalidInput
from practicehub.outcomes.engine.periods import add_months

SIP_TITLE = "Fresno County System Improvement Plan 2023–2028"
# Each strategy's action steps: text, who, months from today to the target date, status.
ACTIONS: tuple[tuple[tuple[str, str, int, str], ...], ...] = (
    (("Family finding search within 30 days of every removal", "Permanency unit", -3,
      ActionStatus.IN_PROGRESS),
     ("Concurrent planning reviewed at every 90-day child and family team meeting",
      "Program manager", 4, ActionStatus.NOT_STARTED)),
    (("Refer every evaluated-out hotline call with children under 5 to a Family Resource "
      "Center", "Hotline supervisor", -8, ActionStatus.DONE),),
    (("Respite hours for resource families after a first placement disruption",
      "Resource family support", 1, ActionStatus.IN_PROGRESS),),
)
STRATEGIES: tuple[tuple[str, tuple[dict[str, Any], ...]], ...] = (
    ("Family finding and concurrent planning from the first month in care, so more children "
     "reach permanency within 12 months", (
         {"measure": "permanency_12m_entries", "months": 48, "change": 0.06},
         {"measure": "permanency_12m_entries", "months": 48, "change": 0.03,
          "dimension": "race_ethnicity", "dimension_value": "black"},
     )),
    ("Family Resource Centers and community-based family strengthening, so fewer children "
     "need to enter care", (
         {"measure": "entry_rate", "months": 39, "change": -0.10, "direction": Direction.DOWN},
     )),
    ("Placement stability support (caregiver respite, a child and family team meeting before "
     "every planned move), so children move less", (
         {"measure": "placement_moves_per_1000_days", "months": 39, "change": -0.15,
          "direction": Direction.DOWN},
     )),
)


def _first_of_month(today: datetime.date, months_back: int) -> datetime.date:
    return add_months(datetime.date(today.year, today.month, 1), -months_back)


def _indicator(lead: User, objective: Objective, today: datetime.date,
               fields: dict[str, Any]) -> bool:
    """An outcome indicator, its baseline from the data, its target the baseline moved by
    ``change`` (a share: points; otherwise a fraction of it); False when the data have no
    figure to show for the baseline (a suppressed cell)."""
    values = {k: v for k, v in fields.items() if k not in ("months", "change")}
    try:
        made = indicator_edits.add_indicator(
            lead, objective, fill_baseline=True, kind="outcome", target_value=1.0,
            baseline_on=_first_of_month(today, fields["months"]),
            target_on=objective.plan.reassess_on, **values)
    except InvalidInput:
        return False
    base = made.baseline_value
    assert base is not None
    change = fields["change"]
    share = fields["measure"].startswith("permanency")
    target = min(base + change, 0.95) if share else base * (1 + change)
    indicator_edits.update_indicator(lead, made, target_value=round(target, 4))
    return True


def load_sip(today: datetime.date) -> int:
    """Fresno's SIP plan unless it exists (or Fresno or its lead does not); how many indicators
    were made."""
    fresno = OrgNode.objects.filter(code="fresno").first()
    lead = User.objects.filter(username="fresno.lead").first()
    if fresno is None or lead is None or Plan.objects.filter(title=SIP_TITLE).exists():
        return 0
    start = _first_of_month(today, 42)
    plan = plans.create_plan(
        lead, node=fresno, kind=PlanKind.SYSTEM_IMPROVEMENT, title=SIP_TITLE,
        start_on=start, reassess_on=datetime.date(start.year + 5, start.month, 1),
        status=PlanStatus.ACTIVE,
        definition_of_success="More children reach permanency within a year, fewer enter care, "
                              "and children in care move less; the gap for Black children "
                              "narrows.")
    made = 0
    for (text, indicators), actions in zip(STRATEGIES, ACTIONS, strict=True):
        objective = plans.add_objective(lead, plan, text=text)
        made += sum(_indicator(lead, objective, today, fields) for fields in indicators)
        for action, responsible, months, status in actions:
            plans.add_action(lead, objective, text=action, responsible=responsible,
                             target_on=add_months(today, months), status=status)
    return made


def load_demo(progress: Callable[[str], None]) -> None:
    with transaction.atomic():
        made = load_sip(timezone.localdate())
    if made:
        progress(f"Reports demo: Fresno's System Improvement Plan, {made} indicators with "
                 "baselines from the data.")
