"""What the results page shows: scores, change since the last time, charts and suggestions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from practicehub.accounts.models import User
from practicehub.assessments.models import Administration
from practicehub.assessments.services import administrations, charts, scoring
from practicehub.implementation.services.charts import render_svg
from practicehub.implementation.services.views_support import Chart


@dataclass(frozen=True)
class ResultsView:
    results: scoring.Results | None
    previous: Administration | None
    changes: list[scoring.Change]
    charts: list[Chart]
    suggestions: list[administrations.Suggestion]


def _table(results: scoring.Results) -> tuple[list[str], list[list[Any]]]:
    return (["Sub-scale", "Score", "Percent of maximum"],
            [[s.name, s.shown, s.percent.quantize(scoring.ONE_PLACE)] for s in results.sections])


def results_view(administration: Administration, user: User) -> ResultsView:
    results = administrations.results_of(administration)
    if results is None:
        return ResultsView(None, None, [], [], [])
    # The earlier administration may belong to a team the user does not reach.
    previous = administrations.previous_of(administration,
                                           Administration.objects.visible_to(user))
    before = administrations.results_of(previous) if previous else None
    name = administration.instrument.name
    headers, rows = _table(results)
    radar_title = f"{name}: profile of sub-scales"
    radar_text = "Each wedge is a sub-scale; its length is the percent of the maximum score."
    bar_title = f"{name}: change since the last administration"
    bar_text = ("Percent of maximum per sub-scale, the earlier administration above the latest."
                if before else "Percent of maximum per sub-scale; there is no earlier one yet.")
    found = [
        Chart(radar_title, radar_text, render_svg(charts.radar_chart(
            results, title=radar_title, description=radar_text)), headers, rows),
        Chart(bar_title, bar_text, render_svg(charts.change_bar_chart(
            before, results, title=bar_title, description=bar_text)),
            ["Sub-scale", "Earlier %", "Latest %"],
            [[s.name, (before.sections[i].percent.quantize(scoring.ONE_PLACE)
                       if before and i < len(before.sections) else "—"),
              s.percent.quantize(scoring.ONE_PLACE)] for i, s in enumerate(results.sections)]),
    ]
    return ResultsView(results, previous, scoring.changes(before, results) if before else [],
                       found, administrations.suggestions(administration))
