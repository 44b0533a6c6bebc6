"""S1 maltreatment in care and S2 recurrence of maltreatment."""

from __future__ import annotations

from pathlib import Path

from practicehub.outcomes.tests.builders import Tables, by_group, by_office, child, episode, report

S1 = "maltreatment_in_care_per_100k_days"
S2 = "maltreatment_recurrence_12m"
# Removed on 2023-03-01 and still in care: 306 days in care in 2023.
IN_CARE_DAYS = 306


def _in_care(cases: dict[str, list[dict[str, str]]]) -> Tables:
    """One child per case, removed on 2023-03-01 and still in care, with the case's reports."""
    children, episodes, reports = [], [], []
    for n, (office, case_reports) in enumerate(cases.items()):
        children.append(child(f"C{n}"))
        episodes.append(episode(f"E{n}", f"C{n}", "2023-03-01", office=office))
        reports += [row | {"child_id": f"C{n}", "report_id": f"R{n}-{k}"}
                    for k, row in enumerate(case_reports)]
    return {"children": children, "episodes": episodes, "reports": reports}


def _report(day: str, **options: str) -> dict[str, str]:
    return report("R", "C", day, **options)


def test_a_report_on_day_6_after_removal_is_not_counted_and_day_7_is(tmp_path: Path) -> None:
    tables = _in_care({"day_6": [_report("2023-03-07")], "day_7": [_report("2023-03-08")]})
    result = by_office(tmp_path, S1, **tables)
    assert result == {"day_6": (0, IN_CARE_DAYS), "day_7": (1, IN_CARE_DAYS)}


def test_reports_one_day_or_less_after_the_last_one_kept_are_dropped(tmp_path: Path) -> None:
    tables = _in_care({
        "same_day": [_report("2023-05-01"), _report("2023-05-01")],
        "one_day_apart": [_report("2023-05-01"), _report("2023-05-02")],
        "two_days_apart": [_report("2023-05-01"), _report("2023-05-03")],
        # The 2nd is dropped; the 3rd is two days after the last one kept (the 1st).
        "three_in_a_row": [_report("2023-05-01"), _report("2023-05-02"), _report("2023-05-03")],
    })
    result = by_office(tmp_path, S1, **tables)
    assert {office: counts[0] for office, counts in result.items()} == {
        "same_day": 1, "one_day_apart": 1, "two_days_apart": 2, "three_in_a_row": 2,
    }


def test_incidents_outside_the_episode_and_unsubstantiated_reports_are_not_counted(
    tmp_path: Path,
) -> None:
    tables = _in_care({
        "incident_before_removal": [_report("2023-04-01", incident="2023-02-28")],
        "incident_on_removal": [_report("2023-04-01", incident="2023-03-01")],
        "indicated": [_report("2023-04-01", disposition="indicated")],
        "unsubstantiated": [_report("2023-04-01", disposition="unsubstantiated")],
    })
    tables["children"].append(child("CD"))
    tables["episodes"].append(episode("ED", "CD", "2023-03-01", "2023-09-01",
                                      office="incident_on_discharge"))
    tables["reports"].append(report("RD", "CD", "2023-08-31", incident="2023-09-01"))
    result = by_office(tmp_path, S1, **tables)
    assert {office: counts[0] for office, counts in result.items()} == {
        "incident_before_removal": 0, "incident_on_removal": 1, "indicated": 1,
        "unsubstantiated": 0, "incident_on_discharge": 0,
    }


def test_days_in_care_run_inside_the_period_and_stop_at_18(tmp_path: Path) -> None:
    children = [child(f"C{n}") for n in range(1, 5)] + [child("C5", "2005-08-01")]
    episodes = [
        episode("E1", "C1", "2022-06-01", office="from_period_start"),
        episode("E2", "C2", "2023-12-25", office="late_entry"),
        episode("E3", "C3", "2023-05-01", "2023-05-05", office="short_stay"),
        episode("E4", "C4", "2022-06-01", "2023-02-01", office="report_before_period"),
        episode("E5", "C5", "2023-01-01", office="to_18th_birthday"),
    ]
    reports = [report("R4", "C4", "2022-12-15"), report("R5", "C5", "2023-09-01")]
    result = by_office(tmp_path, S1, children=children, episodes=episodes, reports=reports)
    assert result == {"from_period_start": (0, 365), "late_entry": (0, 7),
                      "report_before_period": (0, 31), "to_18th_birthday": (0, 212)}


def _recurrence(cases: dict[str, list[tuple[str, str]]]) -> Tables:
    """One child per case; each report is (date, disposition) and carries the case as county."""
    children, reports = [], []
    for n, (county, days) in enumerate(cases.items()):
        children.append(child(f"C{n}"))
        reports += [report(f"R{n}-{k}", f"C{n}", day, disposition=disposition, county=county)
                    for k, (day, disposition) in enumerate(days)]
    return {"children": children, "reports": reports}


SUB = "substantiated"


def test_recurrence_needs_more_than_14_days_and_at_most_12_months(tmp_path: Path) -> None:
    tables = _recurrence({
        "day_14": [("2023-03-01", SUB), ("2023-03-15", SUB)],
        "day_15": [("2023-03-01", SUB), ("2023-03-16", SUB)],
        "month_12": [("2023-01-31", SUB), ("2024-01-31", SUB)],
        "month_12_and_a_day": [("2023-01-31", SUB), ("2024-02-01", SUB)],
        "second_unsubstantiated": [("2023-03-01", SUB), ("2023-05-01", "unsubstantiated")],
        "first_unsubstantiated": [("2023-02-01", "unsubstantiated"), ("2023-04-01", "indicated"),
                                  ("2023-06-01", SUB)],
    })
    result = by_group(tmp_path, S2, "county", **tables)
    assert result == {"day_14": (0, 1), "day_15": (1, 1), "month_12": (1, 1),
                      "month_12_and_a_day": (0, 1), "second_unsubstantiated": (0, 1),
                      "first_unsubstantiated": (1, 1)}


def test_age_18_on_the_initial_report_leaves_the_child_out_and_a_fatality_does_not(
    tmp_path: Path,
) -> None:
    children = [child("C1"), child("C2", "2005-03-01"), child("C3")]
    reports = [
        # v2 drops the fatality exclusion: the initial report counts, and so does its recurrence.
        report("R1", "C1", "2023-04-01", fatality="yes", county="fatality"),
        report("R2", "C1", "2023-06-01", county="fatality"),
        report("R3", "C2", "2023-03-01", county="aged_18"),
        report("R4", "C2", "2023-06-01", county="aged_18"),
        report("R5", "C3", "2023-04-01", county="kept"),
    ]
    result = by_group(tmp_path, S2, "county", children=children, reports=reports)
    assert result == {"fatality": (1, 1), "kept": (0, 1)}


def test_a_report_of_the_same_incident_is_not_a_recurrence(tmp_path: Path) -> None:
    def case(county: str, n: int, *incidents: str) -> list[dict[str, str]]:
        days = ("2023-03-01", "2023-04-01", "2023-05-01")
        return [report(f"R{n}-{k}", f"C{n}", day, incident=incident, county=county)
                for k, (day, incident) in enumerate(zip(days, incidents, strict=False))]

    reports = [
        *case("same_incident", 1, "2023-02-25", "2023-02-25"),
        *case("incident_on_the_initial_only", 2, "2023-02-25", ""),
        *case("incident_on_the_later_only", 3, "", "2023-02-25"),
        *case("neither_has_one", 4, "", ""),
        *case("different_incidents", 5, "2023-02-25", "2023-03-28"),
        # The second reports the initial incident again; the third is a new one.
        *case("same_then_new", 6, "2023-02-25", "2023-02-25", "2023-04-28"),
    ]
    children = [child(f"C{n}") for n in range(1, 7)]
    result = by_group(tmp_path, S2, "county", children=children, reports=reports)
    assert result == {"same_incident": (0, 1), "incident_on_the_initial_only": (1, 1),
                      "incident_on_the_later_only": (1, 1), "neither_has_one": (1, 1),
                      "different_incidents": (1, 1), "same_then_new": (1, 1)}


def test_reports_dated_before_birth_are_ignored(tmp_path: Path) -> None:
    children = [child("C1", "2023-03-01"), child("C2", "2023-05-01")]
    reports = [
        # Before birth: not the initial report. The initial is the one on the birth date, and
        # the next is 9 days after it (19 days after the unborn report): 0 of 1.
        report("R1", "C1", "2023-02-20", county="on_birth_date"),
        report("R2", "C1", "2023-03-01", county="on_birth_date"),
        report("R3", "C1", "2023-03-10", county="on_birth_date"),
        # Only a report before birth and one after it: the later one is the initial, 0 of 1.
        report("R4", "C2", "2023-04-15", county="unborn_then_born"),
        report("R5", "C2", "2023-06-01", county="unborn_then_born"),
    ]
    result = by_group(tmp_path, S2, "county", children=children, reports=reports)
    assert result == {"on_birth_date": (0, 1), "unborn_then_born": (0, 1)}


def test_the_initial_report_is_the_earliest_then_the_smallest_id(tmp_path: Path) -> None:
    reports = [
        report("R2", "C1", "2023-04-01", county="second_id"),
        report("R1", "C1", "2023-04-01", county="first_id"),
    ]
    result = by_group(tmp_path, S2, "county", children=[child("C1")], reports=reports)
    assert result == {"first_id": (0, 1)}
