"""Administering an instrument: individually (one respondent's answers) or as facilitated
consensus, where each member's vote is kept next to the score the team agreed."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from practicehub.accounts.models import OrgNode, User, Visitor
from practicehub.accounts.roles import Capability
from practicehub.assessments.models import Administration, Instrument, ItemScore, Method, Vote
from practicehub.assessments.services import scoring
from practicehub.audit.actions import Action
from practicehub.audit.services import record_event
from practicehub.core.errors import OutsideScope
from practicehub.core.services.versioning import Shown, save_if_current
from practicehub.implementation.models import Plan, PlanAction, Team
from practicehub.implementation.services.access import InvalidInput, require_manage
from practicehub.implementation.services.plans import add_suggested_action

ADMINISTER = Capability.ASSESSMENTS_ADMINISTER


def start_administration(user: User, *, instrument: Instrument, node: OrgNode,
                         administered_on: datetime.date, method: str, team: Team | None = None,
                         facilitator: User | None = None, notes: str = "") -> Administration:
    require_manage(user, node, ADMINISTER)
    if method not in Method.values:
        raise InvalidInput("method", f"must be one of {', '.join(Method.values)}")
    if method not in instrument.spec["administration"]:
        raise InvalidInput("method", f"{instrument.name} is not administered as {method}")
    if team is not None and not team.node.path.startswith(node.path):
        raise InvalidInput("team", f"{team} is not a team of {node}")
    administration = Administration.objects.create(
        instrument=instrument, node=node, team=team, administered_on=administered_on,
        method=method, facilitator=facilitator, notes=notes,
    )
    record_event(Action.CREATE, obj=administration)
    return administration


def _check_votes(spec: dict[str, Any], votes: dict[str, dict[str, int]]) -> None:
    codes = {item.code for item in scoring.items_of(spec)}
    allowed = scoring.scale_values(spec)
    for item, by_voter in votes.items():
        if item not in codes:
            raise InvalidInput("votes", f"the instrument has no item {item!r}")
        for voter, value in by_voter.items():
            if not voter.strip():
                raise InvalidInput("votes", f"a vote on {item!r} has no voter name")
            if value not in allowed:
                raise InvalidInput("votes", f"{voter}'s vote on {item!r} ({value}) is not on "
                                            "the scale")


def _shown_answers(spec: dict[str, Any], scores: dict[str, int],
                   votes: dict[str, dict[str, int]]) -> dict[str, Shown]:
    """Scores and votes as a refused stale edit shows them, keyed by item (and voter)."""
    texts = {item.code: item.text for item in scoring.items_of(spec)}
    shown: dict[str, Shown] = {
        f"score-{code}": (texts.get(code, code), f"{value} {scoring.scale_label(spec, value)}")
        for code, value in scores.items()}
    shown |= {f"vote-{code}-{voter.strip()}":
              (f"{voter.strip()}'s vote on: {texts.get(code, code)}", str(value))
              for code, by_voter in votes.items() for voter, value in by_voter.items()}
    return shown


def _saved_answers(administration: Administration) -> dict[str, Shown]:
    votes: dict[str, dict[str, int]] = {}
    for vote in administration.votes.all():
        votes.setdefault(vote.item, {})[vote.voter] = vote.value
    return _shown_answers(administration.instrument.spec, answers_of(administration), votes)


@transaction.atomic
def record_scores(user: User, administration: Administration, scores: dict[str, int],
                  votes: dict[str, dict[str, int]] | None = None, *,
                  expected_version: int | None = None) -> scoring.Results:
    """Replace the administration's scores (and votes); all are checked before anything is kept.

    A consensus administration must come with the members' votes, so the discussion that led to
    each agreed score can be seen later. Refused with ``StaleEdit`` when someone saved scores
    since ``expected_version`` that differ from these.
    """
    require_manage(user, administration.node, ADMINISTER)
    spec = administration.instrument.spec
    scoring.check_answers(spec, scores)
    if administration.method == Method.CONSENSUS:
        if not votes:
            raise InvalidInput("votes", "a consensus administration keeps each member's votes")
        _check_votes(spec, votes)
    elif votes:
        raise InvalidInput("votes", "an individual administration has no votes")
    save_if_current(administration, expected_version,
                    yours=_shown_answers(spec, scores, votes or {}), content=_saved_answers,
                    whole=True)
    administration.scores.all().delete()
    administration.votes.all().delete()
    ItemScore.objects.bulk_create(ItemScore(administration=administration, item=code, value=value)
                                  for code, value in scores.items())
    Vote.objects.bulk_create(Vote(administration=administration, item=item, voter=voter.strip(),
                                  value=value)
                             for item, by_voter in (votes or {}).items()
                             for voter, value in by_voter.items())
    record_event(Action.UPDATE, obj=administration, fields=["scores", "votes"])
    return scoring.score(spec, scores)


def visible_administrations(user: Visitor) -> QuerySet[Administration]:
    """The administrations the user reaches, with what their pages show."""
    return Administration.objects.visible_to(user).select_related("instrument", "node", "team")


def visible_administration(user: Visitor, pk: int) -> Administration:
    """One administration in the user's scope; outside it (or unknown) is ``OutsideScope``."""
    found = visible_administrations(user).filter(pk=pk).first()
    if found is None:
        raise OutsideScope("No such administration in your scope")
    return found


def answers_of(administration: Administration) -> dict[str, int]:
    return {s.item: s.value for s in administration.scores.all()}


def results_of(administration: Administration) -> scoring.Results | None:
    """The scores, or None while the administration is not fully scored."""
    answers = answers_of(administration)
    try:
        return scoring.score(administration.instrument.spec, answers)
    except InvalidInput:
        return None


def previous_of(administration: Administration,
                among: QuerySet[Administration] | None = None) -> Administration | None:
    """The latest earlier administration of the same instrument key at the same site, among
    ``among`` (pass ``Administration.objects.visible_to(user)`` for what a user may see)."""
    candidates = Administration.objects.all() if among is None else among
    return (candidates
            .filter(node=administration.node, instrument__key=administration.instrument.key,
                    administered_on__lt=administration.administered_on)
            .order_by("-administered_on", "-pk").first())


@dataclass(frozen=True)
class Suggestion:
    item: scoring.ItemSpec
    value: int
    objective: str
    action: str
    shown: str = ""  # the score as the page reads it, with its scale label


def suggestions(administration: Administration, limit: int = 3) -> list[Suggestion]:
    """Plan actions suggested by the lowest items, worded as the instrument file words them."""
    spec = administration.instrument.spec
    answers = answers_of(administration)
    names = {s["code"]: s["name"] for s in spec["sections"]}
    return [Suggestion(item, answers[item.code],
                       f"Strengthen {names[item.section].lower()} ({spec['name']})",
                       item.suggestion or f"Improve: {item.text}",
                       scoring.shown_value(spec, answers[item.code]))
            for item in scoring.lowest_items(spec, answers, limit)]


def add_suggestion_to_plan(user: User, administration: Administration, item_code: str,
                           plan: Plan, target_on: datetime.date) -> PlanAction:
    found = next((s for s in suggestions(administration, limit=100) if s.item.code == item_code),
                 None)
    if found is None:
        raise InvalidInput("item", f"no suggestion for item {item_code!r}")
    if not administration.node.path.startswith(plan.node.path) \
            and not plan.node.path.startswith(administration.node.path):
        raise InvalidInput("plan", "choose a plan of the assessed site")
    responsible = str(administration.team) if administration.team else "Implementation team"
    return add_suggested_action(user, plan, objective_text=found.objective,
                                action_text=found.action, responsible=responsible,
                                target_on=target_on)
