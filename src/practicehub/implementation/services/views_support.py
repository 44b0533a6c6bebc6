"""Read-side helpers the pages and the API share: choices in scope and chart bundles."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from practicehub.accounts.models import OrgNode, User, Visitor
from practicehub.accounts.scoping import above_q
from practicehub.implementation.models import (
    Objective,
    Plan,
    PlanAction,
    SupportActivity,
    Team,
)
from practicehub.implementation.services import charts, support
from practicehub.implementation.services.access import InvalidInput
from practicehub.practice_model.models import ModelVersion, Status


def current_model(key: str = "cfpm") -> ModelVersion | None:
    """The latest published version of a practice model, for topic tags and stages."""
    return (ModelVersion.objects.filter(key=key, status=Status.PUBLISHED)
            .order_by("-published_at", "-pk").first())


def stage_sites(user: Visitor) -> QuerySet[OrgNode]:
    """Sites whose stages page the user opens: those in scope and the sites above their own
    (where they stand in the county's and the state's implementation)."""
    return OrgNode.objects.filter(Q(pk__in=OrgNode.objects.visible_to(user)) | above_q(user, ""))


def teams_in_scope(user: Visitor) -> QuerySet[Team]:
    return Team.objects.visible_to(user).select_related("node")


def objectives_in_scope(user: Visitor) -> QuerySet[Objective]:
    return Objective.objects.filter(plan__in=Plan.objects.visible_to(user)).select_related("plan")


def plan_actions_in_scope(user: Visitor) -> QuerySet[PlanAction]:
    return PlanAction.objects.filter(objective__in=objectives_in_scope(user))


def people_in_scope(user: Visitor) -> QuerySet[User]:
    return User.objects.visible_to(user)


@dataclass(frozen=True)
class Named:
    """Records a caller names by code (sites), username (people) or id (teams)."""

    site: str
    providers: Sequence[str] = ()
    sites: Sequence[str] = ()
    teams: Sequence[int] = ()


@dataclass(frozen=True)
class Found:
    site: OrgNode
    providers: list[User]
    sites: list[OrgNode]
    teams: list[Team]


def named_in_scope(user: Visitor, named: Named) -> Found:
    """The named records, each in the user's scope; ``InvalidInput`` names the first that is
    not (the pages offer only records in scope, so only the API names others)."""
    site = OrgNode.objects.visible_to(user).filter(code=named.site).first()
    if site is None:
        raise InvalidInput("site", f"no site {named.site!r} in your scope")
    providers = list(people_in_scope(user).filter(username__in=named.providers))
    missing = sorted(set(named.providers) - {p.username for p in providers})
    if missing:
        raise InvalidInput("providers", f"no person {missing[0]!r} in your scope")
    sites = list(OrgNode.objects.visible_to(user).filter(code__in=named.sites))
    if len(sites) != len(set(named.sites)):
        raise InvalidInput("recipient_sites", "a site is not in your scope")
    teams = list(teams_in_scope(user).filter(pk__in=named.teams))
    if len(teams) != len(set(named.teams)):
        raise InvalidInput("recipient_teams", "a team is not in your scope")
    return Found(site=site, providers=providers, sites=sites, teams=teams)


@dataclass(frozen=True)
class Chart:
    title: str
    description: str
    svg: str
    headers: list[str]
    rows: list[list[Any]]


def dosage_chart(rows: Sequence[support.DosageRow], *, title: str, description: str,
                 category: str) -> Chart:
    spec = charts.hours_bar_chart(rows, title=title, description=description, category=category)
    return Chart(title, description, charts.render_svg(spec), [category, "Activities", "Hours"],
                 [[r.label, r.activities, r.hours] for r in rows])


def dosage_charts(activities: QuerySet[SupportActivity]) -> list[Chart]:
    """The four dosage breakdowns, each as a chart with its table."""
    return [
        dosage_chart(support.dosage_by_site(activities), title="Support hours by site",
                     description="Hours of implementation support each site received.",
                     category="Site"),
        dosage_chart(support.dosage_by_month(activities), title="Support hours by month",
                     description="Hours of support given in each month.", category="Month"),
        dosage_chart(support.dosage_by_kind(activities), title="Support hours by kind",
                     description="Hours by kind of support activity.", category="Kind"),
        dosage_chart(support.dosage_by_provider(activities), title="Support hours by provider",
                     description="Hours each provider gave; shared sessions count for each.",
                     category="Provider"),
    ]
