"""The demo's Fresno System Improvement Plan: three strategies whose outcome indicators have
baselines from the demo's data and yearly actuals in the annual progress report; loading the
demo again adds nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from practicehub.accounts.models import User
from practicehub.implementation.models import Indicator, Plan, PlanKind
from practicehub.implementation.services.indicator_actuals import baseline_from_data
from practicehub.reports import demo as reports_demo
from practicehub.reports.services import sip
from practicehub.site.services.demo import build_demo


@pytest.fixture
def demo(settings: Any, tmp_path: Path) -> None:
    settings.OUTCOMES_DIR = tmp_path / "outcomes"
    build_demo(progress=lambda message: None)


@pytest.mark.usefixtures("demo")
@pytest.mark.django_db(transaction=True)
def test_the_demo_has_a_fresno_sip_whose_strategies_have_baselines_and_yearly_actuals() -> None:
    plan = Plan.objects.get(title=reports_demo.SIP_TITLE)
    assert (plan.kind, plan.node.code) == (PlanKind.SYSTEM_IMPROVEMENT, "fresno")
    indicators = Indicator.objects.filter(objective__plan=plan)
    assert plan.objectives.count() == 3
    assert indicators.count() >= 3
    for indicator in indicators:
        assert indicator.baseline_value == pytest.approx(baseline_from_data(indicator))
    found = sip.progress(plan, User.objects.get(username="fresno.lead"), timezone.localdate())
    years = [y for s in found.strategies for i in s.indicators for y in i.years if y.number]
    assert any(y.row is not None and y.row.actual.value is not None for y in years)
    assert all(i.measured.track.status != "no_data" for s in found.strategies
               for i in s.indicators)
    assert reports_demo.load_sip(timezone.localdate()) == 0
