"""The demo world has two years of fidelity data, paired observations and coaching examples."""

from __future__ import annotations

import pytest

from practicehub.fidelity.models import CoachingPlan, Observation
from practicehub.site.services.demo import build_demo


@pytest.mark.django_db
def test_the_demo_has_two_years_of_observations_and_runs_again_without_duplicates() -> None:
    messages: list[str] = []
    build_demo(progress=messages.append)
    count = Observation.objects.count()
    assert count > 800
    assert Observation.objects.filter(paired_with__isnull=False).count() > 50
    assert Observation.objects.filter(observer_kind="partner").exists()
    dates = Observation.objects.order_by("observed_on").values_list("observed_on", flat=True)
    assert (dates.last() - dates.first()).days > 600  # type: ignore[operator]
    assert CoachingPlan.objects.count() == 2
    build_demo(progress=messages.append)
    assert Observation.objects.count() == count
    assert "Fidelity demo data already present." in messages
