"""No lost updates (issue 9, fault 4): for every kind of record two people (or two tabs) can
edit, the later save made from a page opened before the earlier save is refused with what
differs, keeps what the person typed, and leaves the earlier save in place. The same over the
API. One table per interface; a new editable kind is one more row."""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from practicehub.accounts.models import User
from practicehub.assessments.models import Administration
from practicehub.assessments.services import scoring
from practicehub.assessments.tests.world import ITEMS, build_assessment_world
from practicehub.fidelity.models import (
    CoachingPlan,
    Goal,
    Observation,
    ObservationTool,
    Rating,
    Setting,
)
from practicehub.fidelity.services import coaching
from practicehub.fidelity.services.observations import (
    NewObservation,
    ToolSpec,
    create_tool,
    save_draft,
    start_observation,
    submit,
)
from practicehub.implementation.models import (
    ActionItem,
    Meeting,
    Objective,
    Plan,
    PlanAction,
    Priority,
    Review,
    Team,
)
from practicehub.implementation.tests.world import build_world
from practicehub.practice_model.models import Behavior
from practicehub.practice_model.services import find_version, load_shipped_models, start_draft
from practicehub.testing.personas import Personas

REFUSED = "Someone else saved this"


@dataclass(frozen=True)
class Edit:
    """One edit form: where it is drawn and posted, the form as filled with ``value`` typed into
    ``field``, and how the refusal names the field and shows the two values."""

    editors: tuple[User, User]
    page: str
    post: str
    data: Callable[[str], dict[str, str]]
    field: str
    label: str
    values: tuple[str, str]
    shown: tuple[str, str]
    saved: Callable[[], str]
    on_page: bool = True  # False: a one-field form in a list, refused with a message


def _tab(user: User) -> Client:
    """A browser tab of its own (its own session), signed in as ``user``."""
    client = Client()
    client.force_login(user)
    return client


def _version(page: str, post: str) -> int | None:
    start = page.find(f'action="{post}"')
    found = re.search(r'name="edit_version" value="(\d+)"', page[max(start, 0):])
    return int(found.group(1)) if found else None


def _with_version(data: dict[str, str], version: int | None) -> dict[str, str]:
    return data if version is None else data | {"edit_version": str(version)}


def _typed(page: str, field: str, value: str) -> bool:
    """Whether the re-rendered form still holds ``value`` in ``field``."""
    area = re.search(rf'<textarea[^>]*name="{re.escape(field)}"[^>]*>(.*?)</textarea>', page,
                     re.S)
    if area:
        return html.unescape(area.group(1)).strip() == value
    select = re.search(rf'<select[^>]*name="{re.escape(field)}"[^>]*>(.*?)</select>', page, re.S)
    return bool(select) and f'value="{value}" selected' in select.group(1)


# Builders, one per editable kind --------------------------------------------------------------

def _charter(p: Personas) -> Edit:
    team = build_world(p).team

    def data(purpose: str) -> dict[str, str]:
        return {"purpose": purpose, "decision_authority": "", "communication_protocol": "",
                "cadence": "monthly"}

    return Edit((p.fresno.lead, p.state_admin), reverse("implementation:team_edit",
                                                        args=[team.pk]),
                reverse("implementation:team_edit", args=[team.pk]), data, "purpose", "Purpose",
                ("Coordinate the rollout.", "Decide the budget."),
                ("Coordinate the rollout.", "Decide the budget."),
                lambda: Team.objects.get(pk=team.pk).purpose)


def _plan(p: Personas) -> Edit:
    plan = build_world(p).plan
    url = reverse("implementation:plan_edit", args=[plan.pk])

    def data(success: str) -> dict[str, str]:
        return {"title": plan.title, "status": "active", "start_on": "2026-01-05",
                "reassess_on": "2027-01-05", "definition_of_success": success,
                "supports_needed": ""}

    return Edit((p.fresno.lead, p.state_admin), url, url, data, "definition_of_success",
                "Definition of success", ("Every unit coached.", "Half the units coached."),
                ("Every unit coached.", "Half the units coached."),
                lambda: Plan.objects.get(pk=plan.pk).definition_of_success)


def _meeting(p: Personas) -> Edit:
    meeting = build_world(p).meeting
    url = reverse("implementation:meeting_edit", args=[meeting.pk])

    def data(notes: str) -> dict[str, str]:
        return {"title": meeting.title, "held_on": "2026-02-01", "kind": meeting.kind,
                "agenda": "", "notes": notes, "aar_intended": "", "aar_happened": "",
                "aar_why": "", "aar_next": ""}

    return Edit((p.fresno.lead, p.state_admin), url, url, data, "notes", "Notes",
                ("Agreed the charter.", "Postponed the charter."),
                ("Agreed the charter.", "Postponed the charter."),
                lambda: Meeting.objects.get(pk=meeting.pk).notes)


def _action_item(p: Personas) -> Edit:
    item = build_world(p).item
    return Edit((p.fresno.lead, p.state_admin),
                reverse("implementation:meeting_detail", args=[item.meeting_id]),
                reverse("implementation:item_status", args=[item.pk]),
                lambda status: {"status": status}, "status", "Status", ("done", "dropped"),
                ("Done", "Dropped"), lambda: ActionItem.objects.get(pk=item.pk).status,
                on_page=False)


def _plan_action(p: Personas) -> Edit:
    world = build_world(p)
    return Edit((p.fresno.lead, p.state_admin),
                reverse("implementation:plan_detail", args=[world.plan.pk]),
                reverse("implementation:action_status", args=[world.action.pk]),
                lambda status: {"status": status}, "status", "Status", ("done", "blocked"),
                ("Done", "Blocked"), lambda: PlanAction.objects.get(pk=world.action.pk).status,
                on_page=False)


def a_tool() -> ObservationTool:
    load_shipped_models()
    version = find_version("cfpm")
    behaviors = list(version.behavior_set.filter(behavior_set="practice").order_by("order")[:3])
    return create_tool(ToolSpec(name="CFPM practice behaviors", version=version,
                                scale="profile", behaviors=behaviors,
                                settings=[Setting.HOME_VISIT]))


def an_observation(p: Personas, scores: list[int] | None = None) -> Observation:
    tool = a_tool()
    coach = p.fresno.coach
    observation = start_observation(NewObservation(
        tool=tool, worker=p.fresno.practitioner, observer=coach,
        observed_on=datetime.date(2026, 3, 3), setting=Setting.HOME_VISIT), coach)
    if scores is not None:
        ids = tool.behaviors.order_by("order").values_list("id", flat=True)
        save_draft(observation, coach, {b: ("rated", s) for b, s in zip(ids, scores,
                                                                          strict=True)})
        submit(observation, coach)
    return observation


def _ratings_of(observation: Observation) -> dict[str, str]:
    return {f"b{r.behavior_id}": str(r.score) if r.score is not None else r.mark
            for r in observation.ratings.all()}


def _first_rating(observation: Observation) -> Rating:
    found = observation.ratings.select_related("behavior").order_by("behavior__order").first()
    assert found is not None
    return found


def _point(observation: Observation, value: str) -> str:
    return f"{value} {observation.tool.scale_def.label(int(value))}"


def _draft_notes(p: Personas) -> Edit:
    observation = an_observation(p)
    url = reverse("fidelity:observation_edit", args=[observation.pk])
    ratings = _ratings_of(observation)
    coach = p.fresno.coach
    return Edit((coach, coach), url, url,
                lambda notes: ratings | {"notes": notes, "save": ""}, "notes", "Notes",
                ("Warm, asked about strengths.", "Hurried, no strengths."),
                ("Warm, asked about strengths.", "Hurried, no strengths."),
                lambda: Observation.objects.get(pk=observation.pk).notes)


def _draft_ratings(p: Personas) -> Edit:
    observation = an_observation(p)
    url = reverse("fidelity:observation_edit", args=[observation.pk])
    first = _first_rating(observation)
    field = f"b{first.behavior_id}"
    coach = p.fresno.coach
    return Edit((coach, coach), url, url,
                lambda value: _ratings_of(observation) | {field: value, "notes": "", "save": ""},
                field, first.behavior.code, ("3", "1"),
                (_point(observation, "3"), _point(observation, "1")),
                lambda: str(Rating.objects.get(pk=first.pk).score))


def _amendment(p: Personas) -> Edit:
    observation = an_observation(p, [3, 3, 3])
    url = reverse("fidelity:observation_amend", args=[observation.pk])
    first = _first_rating(observation)
    field = f"b{first.behavior_id}"
    coach = p.fresno.coach
    ratings = _ratings_of(observation)
    return Edit((coach, coach), url, url,
                lambda value: ratings | {field: value, "reason": "Misread my notes"},
                field, first.behavior.code, ("2", "1"),
                (_point(observation, "2"), _point(observation, "1")),
                lambda: str(Rating.objects.get(pk=first.pk).score))


def _scores(p: Personas) -> Edit:
    administration = build_assessment_world(p).first
    url = reverse("assessments:scores", args=[administration.pk])
    spec = administration.instrument.spec
    text = next(item.text for item in scoring.items_of(spec) if item.code == "selection")

    def data(value: str) -> dict[str, str]:
        return ({"voters": "Ana, Ben"} | {f"score-{c}": "1" for c in ITEMS}
                | {f"vote-{c}-0": "1" for c in ITEMS} | {"score-selection": value})

    return Edit((p.fresno.lead, p.state_admin), url, url, data, "score-selection", text,
                ("2", "0"), (f"2 {scoring.scale_label(spec, 2)}",
                             f"0 {scoring.scale_label(spec, 0)}"),
                lambda: str(administration.scores.get(item="selection").value))


def _coaching_plan(p: Personas) -> CoachingPlan:
    return coaching.start_plan(p.fresno.practitioner, p.fresno.coach, a_tool(),
                               datetime.date(2026, 3, 4))


def _plan_closed(p: Personas) -> Edit:
    plan = _coaching_plan(p)
    return Edit((p.fresno.coach, p.state_admin), reverse("fidelity:plan", args=[plan.pk]),
                reverse("fidelity:plan_close", args=[plan.pk]),
                lambda on: {"closed_on": on}, "closed_on", "Closed on",
                ("2026-05-01", "2026-05-02"), ("2026-05-01", "2026-05-02"),
                lambda: str(CoachingPlan.objects.get(pk=plan.pk).closed_on), on_page=False)


def _goal_met(p: Personas) -> Edit:
    goal = coaching.add_goal(_coaching_plan(p), "Names a strength.", None, None)
    return Edit((p.fresno.coach, p.state_admin), reverse("fidelity:plan", args=[goal.plan_id]),
                reverse("fidelity:goal_met", args=[goal.pk]),
                lambda on: {"achieved_on": on}, "achieved_on", "Met on",
                ("2026-05-01", "2026-05-02"), ("2026-05-01", "2026-05-02"),
                lambda: str(Goal.objects.get(pk=goal.pk).achieved_on), on_page=False)


def _behavior(p: Personas) -> Edit:
    load_shipped_models()
    draft = start_draft(find_version("cfpm"), "2026.2")
    url = reverse("practice_model:behavior_edit", args=[draft.key, draft.label, "EE-1"])

    def data(text: str) -> dict[str, str]:
        return {"text": text, "wording": "local", "level_expected": "Always.",
                "level_developmental": "Sometimes.", "level_unacceptable": "Never."}

    return Edit((p.state_admin, p.state_admin), url, url, data, "text", "Behavior",
                ("Opens with the family's strengths.", "Opens with the agency's concerns."),
                ("Opens with the family's strengths.", "Opens with the agency's concerns."),
                lambda: Behavior.objects.get(version=draft, code="EE-1").text)


def _review(p: Personas) -> Edit:
    review = build_world(p).review
    url = reverse("implementation:review_edit", args=[review.pk])

    def data(notes: str) -> dict[str, str]:
        return {"title": review.title, "kind": review.kind, "held_on": "2026-03-31",
                "team": str(review.team_id), "meeting": str(review.meeting_id), "notes": notes}

    return Edit((p.fresno.lead, p.state_admin), url, url, data, "notes", "Notes",
                ("Coaching is on track.", "Coaching is behind."),
                ("Coaching is on track.", "Coaching is behind."),
                lambda: Review.objects.get(pk=review.pk).notes)


def _priority(p: Personas) -> Edit:
    priority = build_world(p).priority
    url = reverse("implementation:priority_edit", args=[priority.pk])

    def data(text: str) -> dict[str, str]:
        return {"dimension": priority.dimension, "text": text}

    return Edit((p.fresno.lead, p.state_admin), url, url, data, "text", "Text",
                ("Coaching for all.", "Coaching for supervisors."),
                ("Coaching for all.", "Coaching for supervisors."),
                lambda: Priority.objects.get(pk=priority.pk).text)


def _objective(p: Personas) -> Edit:
    objective = build_world(p).action.objective
    url = reverse("implementation:objective_edit", args=[objective.pk])

    def data(text: str) -> dict[str, str]:
        return {"text": text, "priority": ""}

    return Edit((p.fresno.lead, p.state_admin), url, url, data, "text", "Text",
                ("Coach every unit.", "Coach every office."),
                ("Coach every unit.", "Coach every office."),
                lambda: Objective.objects.get(pk=objective.pk).text)


def _action_edit(p: Personas) -> Edit:
    action = build_world(p).action
    url = reverse("implementation:action_edit", args=[action.pk])

    def data(text: str) -> dict[str, str]:
        return {"text": text, "responsible": "IT", "target_on": "2026-04-01",
                "supports_needed": "", "status": "not_started", "done_on": ""}

    return Edit((p.fresno.lead, p.state_admin), url, url, data, "text", "Text",
                ("Train the supervisors.", "Train the coaches."),
                ("Train the supervisors.", "Train the coaches."),
                lambda: PlanAction.objects.get(pk=action.pk).text)


EDITS: dict[str, Callable[[Personas], Edit]] = {
    "team charter": _charter,
    "plan": _plan,
    "meeting record": _meeting,
    "action item status": _action_item,
    "plan action status": _plan_action,
    "draft observation notes": _draft_notes,
    "draft observation ratings": _draft_ratings,
    "amendment of a submitted observation": _amendment,
    "assessment scores in progress": _scores,
    "practice model draft behavior": _behavior,
    "coaching plan closed": _plan_closed,
    "coaching goal met": _goal_met,
    "review": _review,
    "plan priority": _priority,
    "plan objective": _objective,
    "plan action step": _action_edit,
}

# One-field forms inside a page: a refusal, a missing version included, is a message there.
IN_PAGE_FORMS = {_action_item, _plan_action, _plan_closed, _goal_met}


@pytest.mark.parametrize("kind", EDITS)
def test_a_save_from_a_page_opened_before_another_save_is_refused_keeping_both(
    kind: str, personas: Personas,
) -> None:
    edit = EDITS[kind](personas)
    one, two = (_tab(user) for user in edit.editors)
    version = _version(one.get(edit.page).text, edit.post)
    assert _version(two.get(edit.page).text, edit.post) == version
    first, second = edit.values

    saved = one.post(edit.post, _with_version(edit.data(first), version))
    assert saved.status_code == 302, saved.text
    assert edit.saved() == first

    refused = two.post(edit.post, _with_version(edit.data(second), version),
                       follow=not edit.on_page)
    assert edit.saved() == first, "the later save overwrote the earlier one"
    page = html.unescape(refused.text)
    assert REFUSED in page
    saved_then_yours = (rf'<th scope="row">{re.escape(edit.label)}[^<]*</th>'
                        rf'<td>{re.escape(edit.shown[0])}</td><td>{re.escape(edit.shown[1])}</td>')
    message = f"{edit.label}: now saved “{edit.shown[0]}”, yours “{edit.shown[1]}”."
    assert re.search(saved_then_yours, page) if edit.on_page else message in page
    if edit.on_page:
        assert refused.status_code == 409
        assert _typed(refused.text, edit.field, second), "what the person typed was lost"
        # The refusal moved the form to the saved version: a deliberate second save keeps theirs.
        again = _version(refused.text, edit.post)
        assert two.post(edit.post, _with_version(edit.data(second), again)).status_code == 302
        assert edit.saved() == second


@pytest.mark.parametrize("kind", EDITS)
def test_a_single_edit_saves_and_counts_one_more_version(kind: str, personas: Personas) -> None:
    edit = EDITS[kind](personas)
    tab = _tab(edit.editors[0])
    version = _version(tab.get(edit.page).text, edit.post)
    assert version is not None, "the form does not carry the version it was drawn from"
    assert tab.post(edit.post, _with_version(edit.data(edit.values[0]), version)
                    ).status_code == 302
    assert edit.saved() == edit.values[0]
    assert _version(tab.get(edit.page).text, edit.post) == version + 1


@pytest.mark.parametrize("kind", [k for k in EDITS if EDITS[k] not in IN_PAGE_FORMS])
def test_a_form_without_its_version_is_refused_and_saves_nothing(
    kind: str, personas: Personas,
) -> None:
    edit = EDITS[kind](personas)
    before = edit.saved()
    response = _tab(edit.editors[0]).post(edit.post, edit.data(edit.values[0]))
    assert response.status_code == 400
    assert "did not say which saved" in html.unescape(response.text)
    assert edit.saved() == before


# The API --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ApiEdit:
    editor: User
    read: str
    version_of: Callable[[dict[str, Any]], int]
    method: str
    url: str
    body: Callable[[str], dict[str, Any]]
    field: str
    values: tuple[str, str]
    shown: tuple[str, str]
    saved: Callable[[], str]


def _api_action(p: Personas) -> ApiEdit:
    world = build_world(p)
    return ApiEdit(p.fresno.lead, reverse("api:implementation_plan", kwargs={"pk": world.plan.pk}),
                   lambda body: int(body["objectives"][0]["actions"][0]["edit_version"]), "post",
                   reverse("api:implementation_action_status", kwargs={"pk": world.action.pk}),
                   lambda status: {"status": status}, "status", ("done", "blocked"),
                   ("Done", "Blocked"),
                   lambda: PlanAction.objects.get(pk=world.action.pk).status)


def _api_ratings(p: Personas) -> ApiEdit:
    observation = an_observation(p)
    first = _first_rating(observation)
    code = first.behavior.code
    return ApiEdit(p.fresno.coach,
                   reverse("api:fidelity_observation", kwargs={"pk": observation.pk}),
                   lambda body: int(body["edit_version"]), "put",
                   reverse("api:fidelity_observation_ratings", kwargs={"pk": observation.pk}),
                   lambda value: {"ratings": {code: value}}, f"b{first.behavior_id}",
                   ("3", "1"), (_point(observation, "3"), _point(observation, "1")),
                   lambda: str(Rating.objects.get(pk=first.pk).score))


def _api_amendment(p: Personas) -> ApiEdit:
    observation = an_observation(p, [3, 3, 3])
    first = _first_rating(observation)
    code = first.behavior.code
    return ApiEdit(p.fresno.coach,
                   reverse("api:fidelity_observation", kwargs={"pk": observation.pk}),
                   lambda body: int(body["edit_version"]), "post",
                   reverse("api:fidelity_observation_amend", kwargs={"pk": observation.pk}),
                   lambda value: {"ratings": {code: value}, "reason": "Misread my notes"},
                   f"b{first.behavior_id}", ("2", "1"),
                   (_point(observation, "2"), _point(observation, "1")),
                   lambda: str(Rating.objects.get(pk=first.pk).score))


def _api_scores(p: Personas) -> ApiEdit:
    administration = build_assessment_world(p).first
    spec = administration.instrument.spec

    def body(value: str) -> dict[str, Any]:
        scores = dict.fromkeys(ITEMS, 1) | {"selection": int(value)}
        return {"scores": scores, "votes": {c: {"Ana": v} for c, v in scores.items()}}

    return ApiEdit(p.fresno.lead,
                   reverse("api:assessments_administration", kwargs={"pk": administration.pk}),
                   lambda body: int(body["edit_version"]), "post",
                   reverse("api:assessments_scores", kwargs={"pk": administration.pk}), body,
                   "score-selection", ("2", "0"),
                   (f"2 {scoring.scale_label(spec, 2)}", f"0 {scoring.scale_label(spec, 0)}"),
                   lambda: str(Administration.objects.get(pk=administration.pk).scores.get(
                       item="selection").value))


API_EDITS: dict[str, Callable[[Personas], ApiEdit]] = {
    "plan action status": _api_action,
    "draft observation ratings": _api_ratings,
    "amendment of a submitted observation": _api_amendment,
    "assessment scores in progress": _api_scores,
}


def _send(client: Client, edit: ApiEdit, body: dict[str, Any], **headers: str) -> Any:
    send = getattr(client, edit.method)
    return send(edit.url, body, content_type="application/json", headers=headers)


@pytest.mark.parametrize("kind", API_EDITS)
def test_an_api_update_from_an_older_read_answers_409_naming_what_changed(
    kind: str, personas: Personas,
) -> None:
    edit = API_EDITS[kind](personas)
    one, two = _tab(edit.editor), _tab(edit.editor)
    read = one.get(edit.read)
    version = edit.version_of(read.json())
    assert edit.version_of(two.get(edit.read).json()) == version
    first, second = edit.values

    saved = _send(one, edit, edit.body(first) | {"edit_version": version})
    assert saved.status_code == 200, saved.text
    assert edit.saved() == first

    refused = _send(two, edit, edit.body(second) | {"edit_version": version})
    assert refused.status_code == 409
    assert edit.saved() == first, "the later update overwrote the earlier one"
    answer = refused.json()
    assert REFUSED in answer["detail"]
    changed = {change["field"]: change for change in answer["changed"]}
    assert (changed[edit.field]["saved"], changed[edit.field]["yours"]) == edit.shown
    assert answer["edit_version"] == version + 1
    assert refused["ETag"] == f'"{version + 1}"'


@pytest.mark.parametrize("kind", API_EDITS)
def test_an_api_update_naming_no_version_answers_428_and_changes_nothing(
    kind: str, personas: Personas,
) -> None:
    edit = API_EDITS[kind](personas)
    before = edit.saved()
    response = _send(_tab(edit.editor), edit, edit.body(edit.values[0]))
    assert response.status_code == 428
    assert "edit_version" in response.json()["detail"]
    assert edit.saved() == before


@pytest.mark.parametrize("kind", API_EDITS)
def test_an_api_update_may_name_its_version_as_if_match_with_the_etag(
    kind: str, personas: Personas,
) -> None:
    edit = API_EDITS[kind](personas)
    client = _tab(edit.editor)
    read = client.get(edit.read)
    etag = read.get("ETag") or f'"{edit.version_of(read.json())}"'
    assert _send(client, edit, edit.body(edit.values[0]), **{"If-Match": etag}
                 ).status_code == 200
    assert edit.saved() == edit.values[0]
    stale = _send(client, edit, edit.body(edit.values[1]), **{"If-Match": etag})
    assert stale.status_code == 409
    assert edit.saved() == edit.values[0]


def test_submitting_a_draft_saved_since_it_was_read_is_refused(personas: Personas) -> None:
    observation = an_observation(personas)
    coach = personas.fresno.coach
    one, two = _tab(coach), _tab(coach)
    read = two.get(reverse("api:fidelity_observation", kwargs={"pk": observation.pk}))
    code = _first_rating(observation).behavior.code
    assert one.put(reverse("api:fidelity_observation_ratings", kwargs={"pk": observation.pk}),
                   {"ratings": {code: "1"}, "edit_version": read.json()["edit_version"]},
                   content_type="application/json").status_code == 200
    refused = two.post(reverse("api:fidelity_observation_submit", kwargs={"pk": observation.pk}),
                       headers={"If-Match": read["ETag"]})
    assert refused.status_code == 409
    assert Observation.objects.get(pk=observation.pk).status == "draft"
