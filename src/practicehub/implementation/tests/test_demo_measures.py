"""The demo's measured objectives: Fresno's and Sacramento's current plans, baselines from the
demo's outcome, fidelity and assessment data, actuals that move."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils import timezone

from practicehub.accounts.demo import DEMO_LOGINS, ensure_person, synthetic_staff
from practicehub.accounts.models import User
from practicehub.assessments.models import Administration
from practicehub.assessments.services import administrations
from practicehub.fidelity import demo as fidelity_demo
from practicehub.implementation import demo
from practicehub.implementation.demo_measures import load_measured
from practicehub.implementation.models import Indicator, IndicatorKind
from practicehub.implementation.services import indicator_actuals, indicators
from practicehub.outcomes import demo as outcomes_demo
from practicehub.practice_model.services import load_shipped_models
from practicehub.testing.personas import ensure_tree


def test_fresno_and_sacramento_plans_get_indicators_with_baselines_from_the_data(
    db: None, settings: Any, tmp_path: Path,
) -> None:
    ensure_tree()
    load_shipped_models()
    for login in [*DEMO_LOGINS, *synthetic_staff()]:
        ensure_person(login)
    settings.OUTCOMES_DIR = tmp_path / "outcomes"
    fidelity_demo.load_demo(lambda message: None)
    outcomes_demo.load_demo(lambda message: None, episodes=4_000)
    demo.load_demo(lambda message: None)
    today = timezone.localdate()
    admin = User.objects.get(username="state.admin")
    by_site: dict[str, set[str]] = {}
    for indicator in Indicator.objects.select_related("objective__plan__node"):
        by_site.setdefault(indicator.node.code, set()).add(indicator.kind)
        found = indicator_actuals.actuals(indicator, admin, today)
        # The baseline is the baseline quarter's figure (filled as everyone sees it).
        assert found[0].value == indicator.baseline_value, indicators.describe(indicator)
        if indicator.kind != IndicatorKind.STAGE:
            values = {a.value for a in found if a.value is not None}
            assert len(values) > 1, indicators.describe(indicator)  # the actuals move
    for site in ("fresno", "sacramento"):
        assert {IndicatorKind.OUTCOME, IndicatorKind.FIDELITY_SHARE,
                IndicatorKind.WORKERS_AT_FIDELITY, IndicatorKind.STAGE} <= by_site[site], site
    assert IndicatorKind.ASSESSMENT_SCORE in by_site["fresno"]
    # Its actuals are the scores of Fresno's drivers administrations, as their pages show them.
    score = Indicator.objects.get(kind=IndicatorKind.ASSESSMENT_SCORE)
    held = Administration.objects.filter(node__code="fresno", instrument__key="drivers-capacity")
    expected = set()
    for administration in held:
        results = administrations.results_of(administration)
        assert results is not None
        expected.add(float(results.total.shown))
    assert {a.value for a in indicator_actuals.actuals(score, admin, today)
            if a.value is not None} == expected
    # Loading again adds nothing.
    assert load_measured(today) == 0
