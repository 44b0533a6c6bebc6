"""Each shipped instrument scored against results worked out by hand in the comments."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from practicehub.assessments.services import scoring
from practicehub.assessments.services.instruments import load_shipped_instruments
from practicehub.implementation.services.access import InvalidInput
from practicehub.practice_model.services import load_shipped_models


@pytest.fixture
def specs(db: None) -> dict[str, dict[str, Any]]:
    load_shipped_models()
    return {i.key: i.spec for i in load_shipped_instruments()}


def _by_code(results: scoring.Results) -> dict[str, scoring.Score]:
    return {s.code: s for s in [results.total, *results.all_scores()]}


def test_the_readiness_review_sums_the_six_indicators(specs: dict[str, Any]) -> None:
    answers = {"need": 4, "fit": 3, "resources": 2, "evidence": 5, "readiness": 4, "capacity": 2}
    scores = _by_code(scoring.score(specs["exploration-readiness"], answers))
    # 4+3+2+5+4+2 = 20 of 30, short of the target 24.
    assert (scores["total"].shown, scores["total"].met_target) == (Decimal(20), False)
    # Practice: evidence 5 + readiness 4 + resources 2; site: need 4 + fit 3 + capacity 2.
    assert scores["practice"].shown == Decimal(11)
    assert scores["site"].shown == Decimal(9)
    assert scores["site"].met_target is None
    assert scores["total"].percent.quantize(Decimal("0.1")) == Decimal("66.7")


def test_the_drivers_assessment_gives_percent_of_possible_against_80(
    specs: dict[str, Any],
) -> None:
    answers = {"selection": 2, "training": 2, "coaching": 1, "fidelity": 0, "data-system": 1,
               "facilitative-admin": 2, "systems": 1, "technical": 2, "adaptive": 2}
    scores = _by_code(scoring.score(specs["drivers-capacity"], answers))
    # Competency 5 of 8 = 62.5%; organization 4 of 6 = 66.7%; leadership 4 of 4 = 100%.
    assert scores["competency"].shown == Decimal("62.5")
    assert scores["organization"].shown == Decimal("66.7")
    assert (scores["leadership"].shown, scores["leadership"].met_target) == (Decimal(100), True)
    # Total 13 of 18 = 72.2%, below the 80% target.
    assert (scores["total"].shown, scores["total"].met_target) == (Decimal("72.2"), False)


def test_the_snapshot_averages_each_dimension(specs: dict[str, Any]) -> None:
    answers = {"ol-1": 3, "ol-2": 2, "ol-3": 4, "wf-1": 2, "wf-2": 2, "wf-3": 1,
               "da-1": 1, "da-2": 2, "da-3": 2, "pa-1": 4, "pa-2": 3, "pa-3": 3}
    scores = _by_code(scoring.score(specs["implementation-snapshot"], answers))
    # 9/3 = 3.0 (meets 3); 5/3 = 1.7; 5/3 = 1.7; 10/3 = 3.3; total 29/12 = 2.4.
    assert scores["organization-leadership"].shown == Decimal("3.0")
    assert scores["organization-leadership"].met_target is True
    assert scores["workforce"].shown == Decimal("1.7")
    assert scores["data"].shown == Decimal("1.7")
    assert scores["partnerships"].shown == Decimal("3.3")
    assert (scores["total"].shown, scores["total"].met_target) == (Decimal("2.4"), False)


def test_the_capacity_self_assessment_scores_each_capacity_area(specs: dict[str, Any]) -> None:
    spec = specs["system-capacity"]
    first, second = spec["sections"][0]["code"], spec["sections"][1]["code"]
    answers = {item.code: 2 for item in scoring.items_of(spec)}
    answers.update({f"{first}-defined": 3, f"{first}-resourced": 3, f"{first}-reviewed": 3})
    answers.update({f"{second}-defined": 0, f"{second}-resourced": 1, f"{second}-reviewed": 0})
    scores = _by_code(scoring.score(spec, answers))
    # Five areas at 6 points, one at 9, one at 1: 40 of 21 × 3 = 63 possible = 63.5%.
    assert scores["total"].shown == Decimal("63.5")
    assert scores[first].shown == Decimal(100)
    assert scores[second].shown == Decimal("11.1")


def test_team_functioning_means_and_its_lowest_items(specs: dict[str, Any]) -> None:
    spec = specs["team-functioning"]
    answers = {"tf-1": 5, "tf-2": 4, "tf-3": 3, "tf-4": 3, "tf-5": 2, "tf-6": 4, "tf-7": 4}
    scores = _by_code(scoring.score(spec, answers))
    # Purpose 9/2 = 4.5; meetings 6/2 = 3.0; follow-through 6/2 = 3.0; total 25/7 = 3.6.
    assert scores["purpose"].shown == Decimal("4.5")
    assert scores["meetings"].shown == Decimal("3.0")
    assert scores["follow-through"].met_target is False
    assert scores["total"].shown == Decimal("3.6")
    assert [i.code for i in scoring.lowest_items(spec, answers)] == ["tf-5", "tf-3", "tf-4"]


def test_change_between_two_administrations_is_after_minus_before(
    specs: dict[str, Any],
) -> None:
    spec = specs["team-functioning"]
    before = scoring.score(spec, dict.fromkeys(["tf-1", "tf-2", "tf-3", "tf-4", "tf-5", "tf-6",
                                                "tf-7"], 3))
    after = scoring.score(spec, {"tf-1": 5, "tf-2": 4, "tf-3": 3, "tf-4": 3, "tf-5": 2,
                                 "tf-6": 4, "tf-7": 4})
    found = {c.code: c.difference for c in scoring.changes(before, after)}
    assert found["total"] == Decimal("0.6")
    assert found["purpose"] == Decimal("1.5")
    assert found["linkage"] == Decimal("1.0")


@pytest.mark.parametrize(("answers", "message"), [
    ({"tf-1": 3}, "scores: item 'tf-2' has no score"),
    ({"tf-9": 3}, "scores: the instrument has no item 'tf-9'"),
])
def test_incomplete_or_unknown_answers_are_refused(specs: dict[str, Any], answers: dict[str, int],
                                                   message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        scoring.check_answers(specs["team-functioning"], answers)


def test_a_value_off_the_scale_is_refused(specs: dict[str, Any]) -> None:
    answers = {f"tf-{n}": 4 for n in range(1, 8)} | {"tf-3": 9}
    with pytest.raises(InvalidInput, match=r"item 'tf-3': 9 is not on the scale \(1, 2, 3, 4, 5\)"):
        scoring.check_answers(specs["team-functioning"], answers)
