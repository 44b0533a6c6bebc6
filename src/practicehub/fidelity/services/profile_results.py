"""Implementation-support profile results: the share of competencies rated expected, by quarter
and domain, self-ratings beside ratings by peers and leads, for a team or a region's teams.

A figure counts the submitted profile ratings of the chosen teams in the period: rated
competencies at Expected / all rated competencies (not observed and not applicable are left out).
Self-ratings and ratings by others (peers and leads together) are kept apart so they can be read
side by side. A quarter's row is hidden when fewer than ``SMALL_GROUP`` people were rated in it
that way, for everyone, as the fidelity dashboards hide small groups; so is a competency's figure
over the period.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Case, CharField, Count, Q, QuerySet, Value, When

from practicehub.fidelity.models import Mark, Observation, RaterRelation, Rating, Status
from practicehub.fidelity.services.access import SMALL_GROUP
from practicehub.fidelity.services.profile_ratings import EXPECTED
from practicehub.implementation.models import SupportActivity, Team
from practicehub.practice_model.services.profiles import Competency

SELF, OTHERS = "self", "others"
BUCKET_LABELS = {SELF: "self-ratings", OTHERS: "rated by peers and leads"}


def quarter_label(quarter: date) -> str:
    return f"{quarter.year} Q{(quarter.month - 1) // 3 + 1}"


def quarter_start(day: date) -> date:
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


@dataclass(frozen=True)
class Share:
    rated: int = 0
    expected: int = 0

    @property
    def share(self) -> float | None:
        return self.expected / self.rated if self.rated else None


@dataclass(frozen=True)
class QuarterRow:
    quarter: date
    bucket: str
    people: int
    shares: dict[str, Share]  # domain code → share; "" → every domain together
    hidden: bool

    @property
    def label(self) -> str:
        return f"{quarter_label(self.quarter)}, {BUCKET_LABELS[self.bucket]}"

    def share(self, domain: str = "") -> Share:
        return self.shares.get(domain, Share())


@dataclass(frozen=True)
class CompetencyRow:
    competency: Competency
    own: Share
    others: Share
    own_hidden: bool
    others_hidden: bool
    activities: int


@dataclass(frozen=True)
class Selection:
    teams: list[Team]
    since: date
    until: date
    competencies: list[Competency] = field(default_factory=list)


def _bucket(relation: str = "rater_relation") -> Case:
    """Self-ratings apart from ratings by others (peers and leads together)."""
    return Case(When(**{relation: RaterRelation.SELF}, then=Value(SELF)), default=Value(OTHERS),
                output_field=CharField())


def _ratings(selection: Selection) -> QuerySet[Observation]:
    return Observation.profile_ratings.filter(
        support_team__in=selection.teams, status=Status.SUBMITTED,
        observed_on__gte=selection.since, observed_on__lte=selection.until)


Key = tuple[object, ...]


def _people(observations: QuerySet[Observation], by: tuple[str, ...]) -> dict[Key, int]:
    """Distinct people rated per group of ``by`` (the suppression count)."""
    rows = (observations.annotate(bucket=_bucket()).order_by().values(*by)
            .annotate(people=Count("worker", distinct=True)))
    return {tuple(row[name] for name in by): row["people"] for row in rows}


def _shares(observations: QuerySet[Observation], by: tuple[str, ...]) -> list[dict[str, object]]:
    ratings = (Rating.objects.filter(observation__in=observations, mark=Mark.RATED)
               .annotate(bucket=_bucket("observation__rater_relation")).order_by().values(*by)
               .annotate(rated=Count("id"), expected=Count("id", filter=Q(score__gte=EXPECTED))))
    return list(ratings)


def quarter_rows(selection: Selection) -> list[QuarterRow]:
    """One row per quarter and bucket (self first), oldest quarter first."""
    observations = _ratings(selection)
    people = _people(observations, ("observed_quarter", "bucket"))
    shares: dict[Key, dict[str, Share]] = defaultdict(dict)
    totals: dict[Key, Counter[str]] = defaultdict(Counter)
    for row in _shares(observations, ("observation__observed_quarter", "bucket",
                                      "behavior__practice__code")):
        key = (row["observation__observed_quarter"], row["bucket"])
        rated, expected = int(str(row["rated"])), int(str(row["expected"]))
        shares[key][str(row["behavior__practice__code"] or "")] = Share(rated, expected)
        totals[key].update(rated=rated, expected=expected)
    for summed, total in totals.items():
        shares[summed][""] = Share(total["rated"], total["expected"])
    keys = sorted(people, key=lambda k: (str(k[0]), k[1] != SELF))
    return [QuarterRow(quarter=_day(key[0]), bucket=str(key[1]), people=people[key],
                       shares=shares[key], hidden=people[key] < SMALL_GROUP) for key in keys]


def _day(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _activities_by_competency(selection: Selection) -> Counter[str]:
    """How many support activities in the period, given by the teams' members, used each
    competency (counted here: the codes are a JSON list, which SQLite cannot search)."""
    providers = [m.user_id for team in selection.teams for m in team.members.all() if m.user_id]
    used = (SupportActivity.objects.filter(providers__in=providers,
                                           occurred_on__gte=selection.since,
                                           occurred_on__lte=selection.until)
            .distinct().values_list("competencies", flat=True))
    return Counter(code for codes in used for code in set(codes or []))


def competency_rows(selection: Selection) -> list[CompetencyRow]:
    """Each competency over the whole period: self beside others, and support activities."""
    observations = _ratings(selection)
    people = _people(observations, ("bucket",))
    found = {(row["behavior__code"], row["bucket"]): Share(int(str(row["rated"])),
                                                           int(str(row["expected"])))
             for row in _shares(observations, ("behavior__code", "bucket"))}
    used = _activities_by_competency(selection)
    return [CompetencyRow(
        competency=c, own=found.get((c.code, SELF), Share()),
        others=found.get((c.code, OTHERS), Share()),
        own_hidden=people.get((SELF,), 0) < SMALL_GROUP,
        others_hidden=people.get((OTHERS,), 0) < SMALL_GROUP,
        activities=used[c.code]) for c in selection.competencies]
