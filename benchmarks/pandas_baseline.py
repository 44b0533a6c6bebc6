"""The outcome measures by county × race/ethnicity written the way an analyst would in pandas.

The yardstick of ``practicehub bench outcomes``: vectorised pandas (merges, group-bys, boolean
masks) over the typed Parquet copies an import writes, following the rules of docs/outcomes.md.
It yields the same numerators and denominators as the engine
(``outcomes/tests/test_backends_pandas_baseline.py`` checks that).

    python benchmarks/pandas_baseline.py PARQUET_DIR 2022-10-01 2023-09-30

prints one JSON object: seconds, peak RSS in MB and the result rows.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq

try:
    import pandas as pd
except ImportError:  # the program never needs pandas; only this baseline of the benchmark does
    sys.exit("pandas is not installed, so the pandas baseline cannot run: install the dev extra "
             "(scripts/bootstrap dev, or pip install -r requirements-dev.txt)")

from practicehub.outcomes.engine import contract
from practicehub.outcomes.engine.periods import add_months as add_months_to_day

BY = ["county", "race_ethnicity"]
Frames = dict[str, pd.DataFrame]


def read_tables(parquet_dir: Path) -> Frames:
    """The five contract tables, dates as datetime64."""
    names = ("children", "episodes", "placements", "maltreatment_reports", "population")
    return {name: pq.read_table(parquet_dir / f"{name}.parquet").to_pandas(date_as_object=False)
            for name in names}


def add_months(days: pd.Series, months: int) -> pd.Series:
    """Same day ``months`` later, clamped to the month's last day."""
    values = days.to_numpy(dtype="datetime64[D]")
    month_start = values.astype("datetime64[M]") + np.timedelta64(months, "M")
    day_offset = values - values.astype("datetime64[M]").astype("datetime64[D]")
    next_month = (month_start + np.timedelta64(1, "M")).astype("datetime64[D]")
    last_day = next_month - np.timedelta64(1, "D")
    shifted = np.minimum(month_start.astype("datetime64[D]") + day_offset, last_day)
    return pd.Series(shifted.astype("datetime64[ms]"), index=days.index)


def days(delta: pd.Series) -> pd.Series:
    return delta.dt.days


def ts(day: date) -> pd.Timestamp:
    return pd.Timestamp(day)


def race_ethnicity(children: pd.DataFrame) -> pd.Series:
    flags = children[list(contract.RACE_FLAGS)].eq("yes")
    result = pd.Series("unknown", index=children.index, dtype=object)
    single = flags.sum(axis=1) == 1
    for flag, category in contract.RACE_FLAG_CATEGORY.items():
        result = result.mask(single & flags[flag], category)
    result = result.mask(flags.sum(axis=1) >= 2, "two_or_more")
    return result.mask(children["hispanic"].eq("yes"), "hispanic")


def child_facts(frames: Frames) -> pd.DataFrame:
    children = frames["children"]
    return pd.DataFrame({
        "child_id": children["child_id"],
        "birth_date": children["birth_date"],
        "race_ethnicity": race_ethnicity(children),
        "eighteenth": add_months(children["birth_date"], 216),
    })


def episode_facts(frames: Frames, children: pd.DataFrame) -> pd.DataFrame:
    episodes = frames["episodes"].merge(children, on="child_id")
    episodes["open_end"] = episodes["discharge_date"].fillna(pd.Timestamp("2262-01-01"))
    episodes["short_stay"] = days(episodes["discharge_date"] - episodes["removal_date"]) < 8
    return episodes


def first_per(frame: pd.DataFrame, key: str, order: list[str]) -> pd.DataFrame:
    return frame.sort_values([key, *order]).drop_duplicates(key, keep="first")


def totals(units: pd.DataFrame, numerator: Any, denominator: Any = 1) -> pd.DataFrame:
    """Sum units by county × race/ethnicity (a NULL county is a group of its own)."""
    frame = units[BY].assign(numerator=numerator, denominator=denominator)
    summed = frame.groupby(BY, dropna=False, as_index=False)[["numerator", "denominator"]].sum()
    return summed.astype({"numerator": "int64", "denominator": "int64"})


def with_value(frame: pd.DataFrame, scale: float) -> pd.DataFrame:
    value = frame["numerator"] / frame["denominator"].where(frame["denominator"] > 0) * scale
    return frame.assign(value=value)


def population(frames: Frames, year: int) -> pd.DataFrame:
    pop = frames["population"]
    rows = pop[(pop["year"] == year) & pop["age"].between(0, 17)]
    return rows.groupby(BY, as_index=False)["count"].sum().rename(columns={"count": "denominator"})


def with_population(counts: pd.DataFrame, frames: Frames, year: int) -> pd.DataFrame:
    numerators = counts.groupby(BY, as_index=False).size().rename(columns={"size": "numerator"})
    if "numerator" in counts:
        numerators = counts.groupby(BY, as_index=False)["numerator"].sum()
    joined = numerators.merge(population(frames, year), on=BY, how="outer")
    return joined.fillna({"numerator": 0, "denominator": 0}).astype(
        {"numerator": "int64", "denominator": "int64"})


def entries(episodes: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    removal = episodes["removal_date"]
    entered = episodes[removal.between(ts(start), ts(end)) & (removal < episodes["eighteenth"])]
    return first_per(entered, "child_id", ["removal_date", "episode_id"])


def last_placements(frames: Frames, episode_ids: pd.Series) -> pd.DataFrame:
    placements = frames["placements"]
    mine = placements[placements["episode_id"].isin(episode_ids)]
    ordered = mine.sort_values(["episode_id", "start_date", "placement_seq"])
    last = ordered.drop_duplicates("episode_id", keep="last")
    return last[["episode_id", "setting", "start_date"]].rename(
        columns={"setting": "last_setting", "start_date": "last_start"})


def p1(frames: Frames, episodes: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    removal = episodes["removal_date"]
    eligible = episodes[removal.between(ts(start), ts(end)) & (removal < episodes["eighteenth"])
                        & ~episodes["short_stay"]
                        & (episodes["discharge_date"].isna()
                           | episodes["discharge_reason"].notna())]
    cohort = first_per(eligible, "child_id", ["removal_date", "episode_id"])
    cohort = cohort.merge(last_placements(frames, cohort["episode_id"]), on="episode_id",
                          how="left")
    thv = ((cohort["discharge_reason"] == "reunification")
           & (cohort["last_setting"] == "trial_home_visit")
           & (days(cohort["discharge_date"] - cohort["last_start"]) > 30))
    effective = cohort["discharge_date"].mask(thv, cohort["last_start"] + timedelta(days=30))
    achieved = (cohort["discharge_reason"].isin(contract.PERMANENCY_REASONS)
                & (effective <= add_months(cohort["removal_date"], 12))
                & (effective < cohort["eighteenth"]))
    return totals(cohort, achieved.astype("int64"))


def in_care_on(episodes: pd.DataFrame, day: date) -> pd.Series:
    return (episodes["removal_date"] <= ts(day)) & (episodes["open_end"] > ts(day))


def p2_p3(episodes: pd.DataFrame, start: date, end: date, low: int, high: int | None
          ) -> pd.DataFrame:
    first_day = ts(start)
    keep = (in_care_on(episodes, start) & (episodes["eighteenth"] > first_day)
            & (add_months(episodes["removal_date"], low) <= first_day))
    if high is not None:
        keep &= first_day < add_months(episodes["removal_date"], high)
    cohort = episodes[keep]
    achieved = (cohort["discharge_reason"].isin(contract.PERMANENCY_REASONS)
                & (cohort["discharge_date"] <= ts(end))
                & (cohort["discharge_date"] < cohort["eighteenth"]))
    return totals(cohort, achieved.astype("int64"))


def p4(episodes: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    discharge = episodes["discharge_date"]
    discharged = episodes[discharge.between(ts(start), ts(end))
                          & episodes["discharge_reason"].isin(contract.REENTRY_COHORT_REASONS)
                          & (discharge < episodes["eighteenth"])]
    cohort = first_per(discharged, "child_id", ["discharge_date", "episode_id"])
    later = episodes[["child_id", "episode_id", "removal_date"]].rename(
        columns={"episode_id": "later_id", "removal_date": "later_removal"})
    pairs = cohort[["child_id", "episode_id", "discharge_date"]].merge(later, on="child_id")
    back = pairs[(pairs["later_id"] != pairs["episode_id"])
                 & (pairs["later_removal"] >= pairs["discharge_date"])
                 & (pairs["later_removal"] <= add_months(pairs["discharge_date"], 12))]
    return totals(cohort, cohort["episode_id"].isin(back["episode_id"]).astype("int64"))


def care_end(episodes: pd.DataFrame, end: date) -> pd.Series:
    after = ts(end + timedelta(days=1))
    return episodes["open_end"].clip(upper=after).where(
        lambda e: e < episodes["eighteenth"], episodes["eighteenth"])


def placement_pieces(frames: Frames, episodes: pd.DataFrame) -> pd.DataFrame:
    """Per placement: a move or not, whether its start day is covered, and its disjoint piece
    of covered days [max(start, latest earlier cover end, removal), cover end)."""
    spans = episodes[["episode_id", "removal_date", "open_end"]]
    placed = frames["placements"].merge(spans, on="episode_id")
    placed = placed.sort_values(["episode_id", "start_date", "placement_seq"],
                                ignore_index=True)
    by_episode = placed.groupby("episode_id", sort=False)
    cover_end = (placed["end_date"].fillna(by_episode["start_date"].shift(-1))
                 .fillna(placed["open_end"]))
    reach = cover_end.groupby(placed["episode_id"], sort=False).cummax()
    before = reach.groupby(placed["episode_id"], sort=False).shift(1)
    on_start = reach.groupby([placed["episode_id"], placed["start_date"]]).transform("max")
    starts = pd.concat([placed["start_date"], before.fillna(placed["start_date"]),
                        placed["removal_date"]], axis=1).max(axis=1)
    return pd.DataFrame({
        "episode_id": placed["episode_id"],
        "start_date": placed["start_date"],
        "is_move": placed.duplicated("episode_id")
        & ~placed["setting"].isin(contract.MOVE_EXCLUDED_SETTINGS),
        "starts_covered": on_start > placed["start_date"],
        "cover_start": starts,
        "cover_end": cover_end.where(cover_end < placed["open_end"], placed["open_end"]),
    })


def p5(frames: Frames, episodes: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    removal = episodes["removal_date"]
    cohort = episodes[removal.between(ts(start), ts(end)) & (removal < episodes["eighteenth"])
                      & ~episodes["short_stay"]].copy()
    cohort["days_end"] = care_end(cohort, end)
    pieces = placement_pieces(frames, episodes[episodes["episode_id"].isin(cohort["episode_id"])])
    pairs = pieces.merge(cohort[["episode_id", "removal_date", "days_end"]], on="episode_id")
    piece_end = pairs["cover_end"].where(pairs["cover_end"] < pairs["days_end"],
                                         pairs["days_end"])
    pairs["days"] = days(piece_end - pairs["cover_start"]).clip(lower=0)
    pairs["moved"] = (pairs["is_move"] & pairs["starts_covered"]
                      & (pairs["start_date"] >= pairs["removal_date"])
                      & (pairs["start_date"] < pairs["days_end"])).astype("int64")
    per_episode = pairs.groupby("episode_id")[["days", "moved"]].sum()
    moves = cohort["episode_id"].map(per_episode["moved"]).fillna(0)
    covered = cohort["episode_id"].map(per_episode["days"]).fillna(0)
    return totals(cohort, moves, covered)


def victim_reports(frames: Frames) -> pd.DataFrame:
    reports = frames["maltreatment_reports"]
    return reports[reports["disposition"].isin(contract.VICTIM_DISPOSITIONS)]


def kept_per_episode(report_days: pd.DataFrame) -> pd.Series:
    """S1 one-day rule: per child, runs of consecutive days keep every second day."""
    ordered = report_days.sort_values(["child_id", "report_date"])
    number = days(ordered["report_date"] - pd.Timestamp("1900-01-01"))
    run = number - ordered.groupby("child_id").cumcount()
    run_start = number.groupby([ordered["child_id"], run]).transform("min")
    kept = ordered[(number - run_start) % 2 == 0]
    return kept["episode_id"].value_counts()


def s1(frames: Frames, episodes: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    cohort = episodes[(episodes["removal_date"] <= ts(end)) & (episodes["open_end"] > ts(start))
                      & ~episodes["short_stay"]].copy()
    cohort["days_start"] = cohort["removal_date"].clip(lower=ts(start))
    cohort["days_end"] = care_end(cohort, end)
    cohort = cohort[days(cohort["days_end"] - cohort["days_start"]) > 0]
    reports = victim_reports(frames)[["child_id", "report_date", "incident_date"]]
    pairs = cohort[["child_id", "episode_id", "removal_date", "open_end", "days_start",
                    "days_end"]].merge(reports, on="child_id")
    incident = pairs["incident_date"]
    counted = pairs[(pairs["report_date"] >= pairs["days_start"])
                    & (pairs["report_date"] < pairs["days_end"])
                    & (pairs["report_date"] >= pairs["removal_date"] + timedelta(days=7))
                    & (incident.isna() | ((incident >= pairs["removal_date"])
                                          & (incident < pairs["open_end"])))]
    report_days = counted[["child_id", "episode_id", "report_date"]].drop_duplicates()
    victims = cohort["episode_id"].map(kept_per_episode(report_days)).fillna(0)
    return totals(cohort, victims, days(cohort["days_end"] - cohort["days_start"]))


def s2(frames: Frames, children: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    victims = victim_reports(frames).merge(children, on="child_id")
    victims = victims[~(victims["report_date"] < victims["birth_date"])]
    in_period = victims[victims["report_date"].between(ts(start), ts(end))
                        & (victims["report_date"] < victims["eighteenth"])]
    cohort = first_per(in_period, "child_id", ["report_date", "report_id"])
    later = victims[["child_id", "report_date", "incident_date"]].rename(
        columns={"report_date": "later_date", "incident_date": "later_incident"})
    pairs = cohort[["child_id", "report_date", "incident_date"]].merge(later, on="child_id")
    same_incident = pairs["incident_date"].notna() & (pairs["incident_date"]
                                                      == pairs["later_incident"])
    again = pairs[(days(pairs["later_date"] - pairs["report_date"]) > 14)
                  & (pairs["later_date"] <= add_months(pairs["report_date"], 12))
                  & ~same_incident]
    return totals(cohort, cohort["child_id"].isin(again["child_id"]).astype("int64"))


def in_care(episodes: pd.DataFrame, reference: date) -> pd.DataFrame:
    return episodes[in_care_on(episodes, reference) & (episodes["eighteenth"] > ts(reference))]


def long_term(episodes: pd.DataFrame, reference: date, months: int) -> pd.DataFrame:
    cohort = in_care(episodes, reference)
    since = ts(add_months_to_day(reference, -months))
    return totals(cohort, (cohort["removal_date"] <= since).astype("int64"))


def indices(counts: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Rate per 1,000, disproportionality and disparity (versus white) within each county."""
    rate = with_value(counts, 1000.0)
    county = counts.groupby("county")
    count_share = counts["numerator"] / county["numerator"].transform("sum").where(lambda s: s != 0)
    pop_share = counts["denominator"] / county["denominator"].transform("sum").where(
        lambda s: s != 0)
    white = rate["value"].where(rate["race_ethnicity"] == "white").groupby(
        rate["county"]).transform("max")
    return {
        "rate_per_1000": rate,
        "disproportionality": counts.assign(value=count_share / pop_share.where(pop_share != 0)),
        "disparity": counts.assign(value=rate["value"] / white.where(white != 0)),
    }


def stage_counts(frames: Frames, episodes: pd.DataFrame, start: date, end: date
                 ) -> dict[str, pd.DataFrame]:
    cohort = in_care(episodes, end)
    long_24 = cohort.assign(numerator=(cohort["removal_date"]
                                       <= ts(add_months_to_day(end, -24))).astype("int64"))
    return {
        "entries": with_population(entries(episodes, start, end), frames, end.year),
        "in_care": with_population(cohort, frames, end.year),
        "long_term_24m": with_population(long_24, frames, end.year),
    }


def compute(frames: Frames, start: date, end: date) -> dict[str, pd.DataFrame]:
    """Every measure by county × race/ethnicity: numerator, denominator and value."""
    children = child_facts(frames)
    episodes = episode_facts(frames, children)
    results = {
        "permanency_12m_entries": with_value(p1(frames, episodes, start, end), 1.0),
        "permanency_12m_12_23": with_value(p2_p3(episodes, start, end, 12, 24), 1.0),
        "permanency_12m_24plus": with_value(p2_p3(episodes, start, end, 24, None), 1.0),
        "reentry_12m": with_value(p4(episodes, start, end), 1.0),
        "placement_moves_per_1000_days": with_value(p5(frames, episodes, start, end), 1000.0),
        "maltreatment_in_care_per_100k_days": with_value(s1(frames, episodes, start, end),
                                                         100_000.0),
        "maltreatment_recurrence_12m": with_value(s2(frames, children, start, end), 1.0),
        "in_care_long_term_24m": with_value(long_term(episodes, end, 24), 1.0),
        "in_care_long_term_36m": with_value(long_term(episodes, end, 36), 1.0),
    }
    stages = stage_counts(frames, episodes, start, end)
    results["entry_rate"] = with_value(stages["entries"], 1000.0)
    for stage, counts in stages.items():
        for name, frame in indices(counts).items():
            results[f"{name}_{stage}"] = frame
    return results


def records(results: dict[str, pd.DataFrame]) -> list[dict[str, Any]]:
    """One plain dictionary per measure and group (NaN and NA as None)."""
    rows: list[dict[str, Any]] = []
    for measure, frame in results.items():
        clean = frame[[*BY, "numerator", "denominator", "value"]].astype(object)
        clean = clean.where(clean.notna(), None)
        rows += [{"measure": measure, **row} for row in clean.to_dict("records")]
    return rows


def main(argv: list[str]) -> None:
    parquet_dir = Path(argv[0])
    start, end = date.fromisoformat(argv[1]), date.fromisoformat(argv[2])
    began = time.perf_counter()
    results = compute(read_tables(parquet_dir), start, end)
    seconds = time.perf_counter() - began
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_rss_mb": peak_mb, "rows": records(results)},
                     default=int))


if __name__ == "__main__":
    main(sys.argv[1:])
