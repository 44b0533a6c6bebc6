from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from practicehub.implementation.models import SupportActivity
from practicehub.implementation.services import support
from practicehub.implementation.services.access import InvalidInput
from practicehub.testing.personas import Personas


def _log(personas: Personas, node_code: str, day: datetime.date, minutes: int, kind: str,
         providers: int = 1) -> SupportActivity:
    regional = personas.fresno.regional_support
    node = personas.fresno.county if node_code == "fresno" else personas.fresno.office
    chosen = [regional, personas.state_admin][:providers]
    return support.log_activity(regional, support.ActivityInput(
        node=node, kind=kind, occurred_on=day, duration_minutes=minutes, mode="virtual",
        providers=chosen))


@pytest.fixture
def logged(personas: Personas) -> Personas:
    _log(personas, "fresno", datetime.date(2026, 1, 8), 60, "strategic_call")
    _log(personas, "fresno", datetime.date(2026, 1, 22), 90, "coaching", providers=2)
    _log(personas, "office", datetime.date(2026, 2, 3), 360, "site_visit")
    return personas


def test_hours_by_site_month_and_type_count_each_activity_once(logged: Personas) -> None:
    everything = SupportActivity.objects.all()
    by_site = {r.label: (r.activities, r.hours) for r in support.dosage_by_site(everything)}
    assert by_site == {"Fresno County": (2, Decimal("2.5")),
                       "Fresno Central office": (1, Decimal("6.0"))}
    by_month = [(r.label, r.hours) for r in support.dosage_by_month(everything)]
    assert by_month == [("2026-01", Decimal("2.5")), ("2026-02", Decimal("6.0"))]
    by_kind = {r.label: r.minutes for r in support.dosage_by_kind(everything)}
    assert by_kind == {"Strategic call": 60, "Behavioral coaching session": 90,
                       "Site visit": 360}
    assert support.total_minutes(everything) == 510


def test_a_shared_session_counts_in_full_for_each_provider(logged: Personas) -> None:
    rows = {r.label: r.minutes for r in support.dosage_by_provider(SupportActivity.objects.all())}
    assert rows == {"Fresno Regional": 510, "State Admin": 90}


def test_dosage_only_counts_what_the_user_can_see(logged: Personas) -> None:
    seen = SupportActivity.objects.visible_to(logged.fresno.coach)
    assert support.total_minutes(seen) == 360
    assert support.total_minutes(SupportActivity.objects.visible_to(logged.humboldt.lead)) == 0


@pytest.mark.parametrize(("minutes", "kind", "field"), [
    (0, "site_visit", "duration_minutes"),
    (60, "carrier_pigeon", "kind"),
])
def test_bad_activities_are_refused_naming_the_field(personas: Personas, minutes: int, kind: str,
                                                     field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        _log(personas, "fresno", datetime.date(2026, 1, 8), minutes, kind)
    assert refused.value.field == field
    assert not SupportActivity.objects.exists()


def test_a_month_without_support_shows_as_zero_hours(personas: Personas) -> None:
    _log(personas, "fresno", datetime.date(2025, 11, 8), 60, "strategic_call")
    _log(personas, "fresno", datetime.date(2026, 2, 3), 30, "coaching")
    by_month = [(r.label, r.activities, r.hours)
                for r in support.dosage_by_month(SupportActivity.objects.all())]
    assert by_month == [("2025-11", 1, Decimal("1.0")), ("2025-12", 0, Decimal("0.0")),
                        ("2026-01", 0, Decimal("0.0")), ("2026-02", 1, Decimal("0.5"))]
