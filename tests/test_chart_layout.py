"""What the charts of issue 12 got wrong, drawn as a person sees them (the SVG vl-convert draws):
a unit's or provider's long name was cut off with "…" beside its bar, the support-hours axis
ended at the longest bar (its value written past the axis), the radial chart's labels were cut
off (and before that overlapped), and the support hours by month skipped months without any.
Pages wider than the screen are walked in the browser (tests/browser/test_downloads_walk.py)."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from practicehub.assessments.services import charts as assessment_charts
from practicehub.assessments.services.scoring import Results, Score
from practicehub.core import vega
from practicehub.fidelity import charts as fidelity_charts
from practicehub.fidelity.services.dashboards import Group
from practicehub.implementation.models import SupportActivity
from practicehub.implementation.services import charts as implementation_charts
from practicehub.implementation.services import support
from practicehub.implementation.services.support import DosageRow, dosage_by_month
from practicehub.testing.personas import Personas

LONG_UNIT = "Fresno County Department of Social Services Southeast Family Maintenance Unit B"
LONG_PROVIDER = "Northern California Child Welfare Training Academy (UC Davis Extension)"


def _texts(svg: str) -> str:
    """The words the SVG writes (tspans of a multi-line text joined by spaces)."""
    return " ".join(re.sub(r"<[^>]+>", " ", text) for text in
                    re.findall(r"<text[^>]*>.*?</text>", svg, flags=re.S)).replace("  ", " ")


def _words(svg: str) -> str:
    return re.sub(r"\s+", " ", _texts(svg))


def test_a_units_whole_name_stands_beside_its_bar_and_the_axis_covers_every_share() -> None:
    groups = [Group("a", LONG_UNIT, 6, 12, 40, 38, None, False, False),
              Group("b", "Unit A", 6, 12, 40, 10, None, False, False)]
    spec = fidelity_charts.share_bars("Share proficient by unit", groups)
    svg = vega.svg(spec)
    assert LONG_UNIT in _words(svg)
    assert "…" not in svg
    domain = spec["layer"][0]["encoding"]["x"]["scale"]["domain"]
    assert domain[1] >= max(high for g in groups for _low, high in [g.interval or (0, 0)])


def test_the_hours_axis_reaches_past_the_longest_bar_and_names_stand_whole() -> None:
    rows = [DosageRow(LONG_PROVIDER, 3, 720), DosageRow("Fresno County", 2, 90)]
    spec = implementation_charts.hours_bar_chart(rows, title="Support hours by provider",
                                                 description="Hours", category="Provider")
    top = spec["encoding"]["x"]["scale"]["domain"][1]
    assert top > 12.0  # the largest value, with room for its "12.0" after the bar
    svg = vega.svg(spec)
    assert LONG_PROVIDER in _words(svg)
    assert "12.0" in _words(svg)
    assert "…" not in svg


def test_the_support_hours_by_month_chart_has_every_month_a_month_without_any_at_zero(
        personas: Personas) -> None:
    regional = personas.fresno.regional_support
    for day, minutes in ((datetime.date(2025, 11, 8), 60), (datetime.date(2026, 2, 3), 30)):
        support.log_activity(regional, support.ActivityInput(
            node=personas.fresno.county, kind="coaching", occurred_on=day,
            duration_minutes=minutes, mode="virtual", providers=[regional]))
    rows = dosage_by_month(SupportActivity.objects.all())
    svg = vega.svg(implementation_charts.hours_bar_chart(
        rows, title="Support hours by month", description="Hours", category="Month"))
    words = _words(svg)
    for month in ("2025-11", "2025-12", "2026-01", "2026-02"):
        assert month in words
    assert words.count("0.0") >= 2  # December and January drawn at zero


def _results(names: list[str]) -> Results:
    sections = [Score(f"s{i}", name, "percent", 1 + 2 * i, 4, 4, None)
                for i, name in enumerate(names)]
    return Results(Score("t", "Total", "percent", 0, 1, 1, None), sections, [])


def test_the_radial_charts_labels_are_whole_and_outside_the_full_circle() -> None:
    names = ["Leadership and shared vision across the county", "Data use",
             "Staff training and coaching capacity", "Community partnerships",
             "Fiscal supports", "Workforce development and retention", "Policy alignment",
             "Quality improvement loops in every office"]
    spec = assessment_charts.radar_chart(_results(names), title="Profile", description="D")
    svg = vega.svg(spec)
    words = _words(svg)
    assert "…" not in svg
    for row in spec["data"]["values"]:
        assert f"{row['scale']} {row['percent']:g}%" in words
        assert all(len(line) <= assessment_charts.LABEL_WIDTH or " " not in line
                   for line in row["label"])
    label = spec["layer"][1]
    assert label["encoding"]["radius"] == {"datum": 100, "type": "quantitative"}
    assert "limit" not in label["mark"]
    assert Decimal(100) == Decimal(spec["encoding"]["radius"]["scale"]["domain"][1])
