"""Teams, members, meetings, decisions and action items: every change goes through here."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from practicehub.accounts.models import NodeKind, OrgNode, User
from practicehub.audit.actions import Action
from practicehub.audit.services import record_event
from practicehub.core.services.versioning import save_if_current
from practicehub.implementation.models import (
    ActionItem,
    Cadence,
    Decision,
    ItemStatus,
    Meeting,
    MeetingKind,
    PlanAction,
    Team,
    TeamKind,
    TeamMember,
    TeamRole,
)
from practicehub.implementation.services.access import InvalidInput, require_manage


def create_team(user: User, *, node: OrgNode, name: str, kind: str, purpose: str = "",
                decision_authority: str = "", communication_protocol: str = "",
                cadence: str = Cadence.MONTHLY,
                formed_on: datetime.date | None = None) -> Team:
    require_manage(user, node)
    if kind not in TeamKind.values:
        raise InvalidInput("kind", f"must be one of {', '.join(TeamKind.values)}")
    if cadence not in Cadence.values:
        raise InvalidInput("cadence", f"must be one of {', '.join(Cadence.values)}")
    if not name.strip():
        raise InvalidInput("name", "must not be blank")
    if Team.objects.filter(node=node, name=name.strip()).exists():
        raise InvalidInput("name", f"{node} already has a team called {name.strip()!r}")
    team = Team.objects.create(
        node=node, name=name.strip(), kind=kind, purpose=purpose,
        decision_authority=decision_authority, communication_protocol=communication_protocol,
        cadence=cadence, formed_on=formed_on,
    )
    record_event(Action.CREATE, obj=team)
    return team


def update_charter(user: User, team: Team, *, expected_version: int | None = None,
                   **fields: str) -> Team:
    """Change the charter; refused with ``StaleEdit`` if it was saved since
    ``expected_version``."""
    require_manage(user, team.node)
    allowed = {"purpose", "decision_authority", "communication_protocol", "cadence"}
    unknown = set(fields) - allowed
    if unknown:
        raise InvalidInput(sorted(unknown)[0], "is not part of a team charter")
    if "cadence" in fields and fields["cadence"] not in Cadence.values:
        raise InvalidInput("cadence", f"must be one of {', '.join(Cadence.values)}")
    changed = {name: value for name, value in fields.items() if getattr(team, name) != value}
    if changed:
        save_if_current(team, expected_version, changed)
        record_event(Action.UPDATE, obj=team, fields=list(changed))
    return team


def add_member(user: User, team: Team, *, member: User | None = None, name: str = "",
               organisation: OrgNode | None = None, role: str = TeamRole.MEMBER) -> TeamMember:
    """Add a user, or an external person named with their partner organisation."""
    require_manage(user, team.node)
    if role not in TeamRole.values:
        raise InvalidInput("role", f"must be one of {', '.join(TeamRole.values)}")
    if member is None and not name.strip():
        raise InvalidInput("name", "give a person's name or choose a user")
    if member is not None and team.members.filter(user=member).exists():
        raise InvalidInput("user", f"{member} is already on {team}")
    if organisation is not None and organisation.kind != NodeKind.PARTNER and member is None:
        raise InvalidInput("organisation", "an external member comes from a partner organisation")
    added = TeamMember.objects.create(team=team, user=member, name=name.strip(),
                                      organisation=organisation, role=role)
    record_event(Action.CREATE, obj=added, node=team.node)
    return added


@transaction.atomic
def record_meeting(user: User, team: Team, *, held_on: datetime.date, title: str,
                   agenda: str = "", notes: str = "", kind: str = MeetingKind.REGULAR,
                   attendees: list[TeamMember] | None = None,
                   review: dict[str, str] | None = None) -> Meeting:
    """A meeting; ``review`` fills the after-action review's four answers."""
    require_manage(user, team.node)
    if kind not in MeetingKind.values:
        raise InvalidInput("kind", f"must be one of {', '.join(MeetingKind.values)}")
    if not title.strip():
        raise InvalidInput("title", "must not be blank")
    strangers = [m for m in attendees or [] if m.team_id != team.pk]
    if strangers:
        raise InvalidInput("attendees", f"{strangers[0]} is not a member of {team}")
    answers = review or {}
    unknown = set(answers) - {"aar_intended", "aar_happened", "aar_why", "aar_next"}
    if unknown:
        raise InvalidInput(sorted(unknown)[0], "is not a question of the after-action review")
    meeting = Meeting.objects.create(team=team, held_on=held_on, title=title.strip(),
                                     agenda=agenda, notes=notes, kind=kind, **answers)
    meeting.attendees.set(attendees or [])
    record_event(Action.CREATE, obj=meeting, node=team.node)
    return meeting


MEETING_FIELDS = ("title", "held_on", "kind", "agenda", "notes", "aar_intended", "aar_happened",
                  "aar_why", "aar_next")


def update_meeting(user: User, meeting: Meeting, *, expected_version: int | None = None,
                   **fields: Any) -> Meeting:
    """Change a meeting's record (not its attendance); refused with ``StaleEdit`` if it was
    saved since ``expected_version``."""
    require_manage(user, meeting.team.node)
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise InvalidInput(sorted(unknown)[0], "is not a field of a meeting you can edit")
    if "kind" in fields and fields["kind"] not in MeetingKind.values:
        raise InvalidInput("kind", f"must be one of {', '.join(MeetingKind.values)}")
    if "title" in fields:
        if not fields["title"].strip():
            raise InvalidInput("title", "must not be blank")
        fields["title"] = fields["title"].strip()
    changed = {name: value for name, value in fields.items() if getattr(meeting, name) != value}
    if changed:
        save_if_current(meeting, expected_version, changed)
        record_event(Action.UPDATE, obj=meeting, node=meeting.team.node, fields=list(changed))
    return meeting


def add_decision(user: User, meeting: Meeting, text: str) -> Decision:
    require_manage(user, meeting.team.node)
    if not text.strip():
        raise InvalidInput("text", "must not be blank")
    decision = Decision.objects.create(meeting=meeting, text=text.strip())
    record_event(Action.CREATE, obj=decision, node=meeting.team.node)
    return decision


def add_action_item(user: User, meeting: Meeting, *, text: str, owner: TeamMember | None = None,
                    due_on: datetime.date | None = None,
                    plan_action: PlanAction | None = None) -> ActionItem:
    """An action item; linking a plan action keeps meeting follow-up and the plan together."""
    node = meeting.team.node
    require_manage(user, node)
    if not text.strip():
        raise InvalidInput("text", "must not be blank")
    if owner is not None and owner.team_id != meeting.team_id:
        raise InvalidInput("owner", f"{owner} is not a member of {meeting.team}")
    if plan_action is not None and not plan_action.node.path.startswith(node.path) \
            and not node.path.startswith(plan_action.node.path):
        raise InvalidInput("plan_action", "links only to a plan of this team's site")
    item = ActionItem.objects.create(meeting=meeting, text=text.strip(), owner=owner,
                                     due_on=due_on, plan_action=plan_action)
    record_event(Action.CREATE, obj=item, node=node)
    return item


def set_item_status(user: User, item: ActionItem, status: str, *,
                    expected_version: int | None = None) -> ActionItem:
    require_manage(user, item.meeting.team.node)
    if status not in ItemStatus.values:
        raise InvalidInput("status", f"must be one of {', '.join(ItemStatus.values)}")
    if item.status != status:
        save_if_current(item, expected_version, {"status": status})
        record_event(Action.UPDATE, obj=item, node=item.meeting.team.node, fields=["status"])
    return item


def item_overdue(item: ActionItem, today: datetime.date) -> bool:
    """A meeting's action item is overdue when it is still open past its due date."""
    return (item.status in (ItemStatus.OPEN, ItemStatus.IN_PROGRESS)
            and item.due_on is not None and item.due_on < today)


def open_items(team: Team, today: datetime.date) -> list[tuple[ActionItem, bool]]:
    """Open or in-progress items of the team's meetings, each with whether it is overdue
    (``item_overdue``), earliest due first."""
    items = ActionItem.objects.filter(meeting__team=team, status__in=[
        ItemStatus.OPEN, ItemStatus.IN_PROGRESS]).select_related("owner__user", "meeting")
    ordered = sorted(items, key=lambda i: (i.due_on is None, i.due_on or today, i.pk))
    return [(item, item_overdue(item, today)) for item in ordered]
