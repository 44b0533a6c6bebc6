"""Drafts, submission that locks the record, and amendments with a reason."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from practicehub.audit.models import AuditEvent
from practicehub.fidelity.models import ObservationTool, Setting
from practicehub.fidelity.services.errors import FidelityError, ObservationLocked
from practicehub.fidelity.services.observations import (
    NewObservation,
    amend,
    entries_by_code,
    save_draft,
    start_observation,
)
from practicehub.fidelity.tests.conftest import Observe
from practicehub.testing.personas import Personas


def test_a_draft_keeps_ratings_and_stays_editable(personas: Personas, observe: Observe) -> None:
    draft = observe(personas.fresno.practitioner, personas.fresno.coach, [3, 2],
                    submit_it=False)
    assert draft.status == "draft"
    assert draft.ratings.filter(mark="rated").count() == 2
    save_draft(draft, personas.fresno.coach, entries_by_code(draft, {
        draft.ratings.first().behavior.code: "1"}))  # type: ignore[union-attr]
    assert draft.ratings.filter(score=1).count() == 1


def test_a_submitted_observation_is_locked(personas: Personas, observe: Observe) -> None:
    done = observe(personas.fresno.practitioner, personas.fresno.coach, [3, 3, 3])
    with pytest.raises(ObservationLocked):
        save_draft(done, personas.fresno.coach, {})


def test_an_amendment_keeps_the_reason_and_before_and_after(
    personas: Personas, observe: Observe,
) -> None:
    done = observe(personas.fresno.practitioner, personas.fresno.coach, [3, 3, 3, 3, 2])
    assert done.meets_fidelity is True
    code = done.ratings.order_by("behavior__order").first().behavior.code  # type: ignore[union-attr]
    amendment = amend(done, personas.fresno.coach, entries_by_code(done, {code: "1"}),
                      "Scored the wrong behavior")
    done.refresh_from_db()
    assert amendment.changes == [{"behavior": code, "before": 3, "after": 1}]
    assert done.meets_fidelity is False
    assert AuditEvent.objects.filter(object_type="fidelity.amendment", action="create").exists()


def test_an_amendment_needs_a_reason_and_the_right_person(
    personas: Personas, observe: Observe,
) -> None:
    done = observe(personas.fresno.practitioner, personas.fresno.coach, [3, 3])
    code = done.ratings.first().behavior.code  # type: ignore[union-attr]
    with pytest.raises(FidelityError, match="reason"):
        amend(done, personas.fresno.coach, entries_by_code(done, {code: "2"}), "  ")
    with pytest.raises(FidelityError, match="Only the observer"):
        amend(done, personas.humboldt.lead, entries_by_code(done, {code: "2"}), "Typo")
    amend(done, personas.fresno.lead, entries_by_code(done, {code: "2"}), "Typo")


def test_a_coach_cannot_observe_a_worker_in_another_county(
    personas: Personas, tool: ObservationTool,
) -> None:
    with pytest.raises(FidelityError, match="may not record"):
        start_observation(NewObservation(
            tool=tool, worker=personas.humboldt.practitioner, observer=personas.fresno.coach,
            observed_on=date(2025, 2, 2), setting=Setting.HOME_VISIT), personas.fresno.coach)


def test_only_practitioners_are_observed(personas: Personas, tool: ObservationTool) -> None:
    with pytest.raises(FidelityError, match="not a practitioner"):
        start_observation(NewObservation(
            tool=tool, worker=personas.fresno.partner, observer=personas.fresno.coach,
            observed_on=date(2025, 2, 2), setting=Setting.HOME_VISIT), personas.fresno.coach)


def test_a_second_observer_pairs_with_the_first_on_the_same_day(
    personas: Personas, observe: Observe,
) -> None:
    first = observe(personas.fresno.practitioner, personas.fresno.coach, [3, 2])
    second = observe(personas.fresno.practitioner, personas.fresno.lead, [3, 3],
                     paired_with=first)
    assert list(first.second_ratings.all()) == [second]
    with pytest.raises(FidelityError, match="same worker, tool and day"):
        observe(personas.fresno.practitioner, personas.state_admin, [3], on=date(2025, 4, 1),
                paired_with=first)


def test_a_rating_outside_the_scale_is_refused(personas: Personas, observe: Observe) -> None:
    draft = observe(personas.fresno.practitioner, personas.fresno.coach, [], submit_it=False)
    code = draft.ratings.first().behavior.code  # type: ignore[union-attr]
    with pytest.raises(FidelityError, match="not a point of the scale"):
        entries_by_code(draft, {code: "5"})


def test_someone_else_in_scope_cannot_open_a_draft_for_editing(
    personas: Personas, observe: Observe, login_as: Any,
) -> None:
    draft = observe(personas.fresno.practitioner, personas.fresno.coach, [3, 2],
                    submit_it=False)
    client = login_as(personas.fresno.lead)
    assert client.get(reverse("fidelity:observation_edit", args=[draft.pk])).status_code == 403
    assert client.get(reverse("fidelity:observation", args=[draft.pk])).status_code == 200
