"""Who rates whom against the implementation-support profile, and whose results reach whom.

A *support team* is a regional implementation support team or the state core team (implementation
``TeamKind`` rist / state_core). Its members (people with an account; external advisors and note
takers are not rated) rate themselves, are rated by another member (a *peer*) or by the team's
chair or coordinator (their *lead*). Anyone else is refused, naming who and why.

Results and ratings reach the members of the team; a state administrator and the members of the
state core team reach every support team. Everything else answers 404.
"""

from __future__ import annotations

from django.db.models import QuerySet

from practicehub.accounts.models import User, Visitor
from practicehub.accounts.roles import Role
from practicehub.accounts.scoping import assignments_of
from practicehub.core.errors import Located, OutsideScope
from practicehub.fidelity.models import RaterRelation
from practicehub.fidelity.services.errors import FidelityError
from practicehub.implementation.models import Team, TeamKind, TeamMember, TeamRole

SUPPORT_KINDS = (TeamKind.REGIONAL_SUPPORT, TeamKind.STATE_CORE)
LEAD_ROLES = (TeamRole.CHAIR, TeamRole.COORDINATOR)
NOT_RATED_ROLES = (TeamRole.ADVISOR, TeamRole.RECORDER)


def support_teams() -> QuerySet[Team]:
    return Team.objects.filter(kind__in=SUPPORT_KINDS).select_related("node")


def sees_every_team(user: Visitor) -> bool:
    """State administrators and members of the state core team."""
    if not user.is_authenticated:
        return False
    if any(a.role == Role.STATE_ADMIN for a in assignments_of(user)):
        return True
    return TeamMember.objects.filter(user=user, team__kind=TeamKind.STATE_CORE).exists()


def visible_teams(user: Visitor) -> QuerySet[Team]:
    """The support teams whose profile results and ratings ``user`` reaches."""
    if sees_every_team(user):
        return support_teams()
    if not user.is_authenticated:
        return Team.objects.none()
    return support_teams().filter(members__user=user).distinct()


def rated_members(team: Team) -> QuerySet[TeamMember]:
    """The members of ``team`` who rate and are rated: people with an account, not advisors."""
    return (team.members.filter(user__isnull=False).exclude(role__in=NOT_RATED_ROLES)
            .select_related("user").order_by("user__last_name", "user__first_name"))


def _membership(team: Team, person: User) -> TeamMember | None:
    return rated_members(team).filter(user=person).first()


def relation_of(rater: User, rated: User, team: Team) -> RaterRelation:
    """How ``rater`` stands to ``rated`` in ``team``: self, peer or lead; refused otherwise."""
    if team.kind not in SUPPORT_KINDS:
        raise FidelityError(f"{team} is not an implementation support team.",
                            [Located(f"{team} is not an implementation support team",
                                     field="team")])
    mine = _membership(team, rater)
    if mine is None:
        raise FidelityError(f"You ({rater.username}) are not a rating member of {team}.",
                            [Located(f"you are not a rating member of {team}", field="team")])
    if rated.pk == rater.pk:
        return RaterRelation.SELF
    if _membership(team, rated) is None:
        raise FidelityError(f"{rated} is not a rating member of {team}, so you cannot rate them.",
                            [Located(f"{rated} is not a rating member of {team}",
                                     field="person")])
    return RaterRelation.LEAD if mine.role in LEAD_ROLES else RaterRelation.PEER


def whom_to_rate(rater: User, team: Team) -> list[tuple[User, RaterRelation]]:
    """Everyone ``rater`` may rate in ``team`` (themself first), with the relation."""
    if _membership(team, rater) is None:
        return []
    people = [m.user for m in rated_members(team) if m.user is not None]
    ordered = sorted(people, key=lambda p: p.pk != rater.pk)
    return [(person, relation_of(rater, person, team)) for person in ordered]


def team_in_scope(user: Visitor, pk: int | str) -> Team:
    team = visible_teams(user).filter(pk=pk).first() if str(pk).isdigit() else None
    if team is None:
        raise OutsideScope(f"No support team {pk!r} in your scope")
    return team
