"""The shared optimistic-locking rule (ADR 0009), on a real record: a team's charter."""

from __future__ import annotations

import pytest

from practicehub.core.services.versioning import StaleEdit, save_if_current
from practicehub.implementation.models import Team
from practicehub.implementation.tests.helpers import a_team
from practicehub.testing.personas import Personas


def _team(personas: Personas) -> Team:
    return a_team(personas.fresno.lead, personas.fresno.county)


def test_a_save_counts_one_more_version(personas: Personas) -> None:
    team = _team(personas)
    save_if_current(team, 1, {"purpose": "Coordinate."})
    assert Team.objects.get(pk=team.pk).edit_version == 2
    assert (team.purpose, team.edit_version) == ("Coordinate.", 2)


def test_a_stale_save_names_the_choice_as_people_read_it_and_writes_nothing(
    personas: Personas,
) -> None:
    team = _team(personas)
    save_if_current(Team.objects.get(pk=team.pk), 1, {"cadence": "weekly"})
    with pytest.raises(StaleEdit) as refused:
        save_if_current(team, 1, {"cadence": "quarterly", "purpose": "Decide."})
    changes = {c.field: (c.label, c.saved, c.yours) for c in refused.value.changes}
    assert changes == {"cadence": ("Cadence", "Weekly", "Quarterly"),
                       "purpose": ("Purpose", "(empty)", "Decide.")}
    assert refused.value.current_version == 2
    assert Team.objects.get(pk=team.pk).purpose == ""


def test_a_stale_save_that_sends_what_is_already_saved_goes_ahead(personas: Personas) -> None:
    team = _team(personas)
    save_if_current(Team.objects.get(pk=team.pk), 1, {"purpose": "Coordinate."})
    save_if_current(team, 1, {"purpose": "Coordinate."})
    assert Team.objects.get(pk=team.pk).edit_version == 3


def test_a_save_of_a_record_deleted_meanwhile_says_so(personas: Personas) -> None:
    team = _team(personas)
    Team.objects.filter(pk=team.pk).delete()
    with pytest.raises(StaleEdit, match="was deleted after you opened it"):
        save_if_current(team, 1, {"purpose": "Coordinate."})
