from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from practicehub.implementation.models import ChecklistRating, Rating, Stage, StageRecord
from practicehub.implementation.services import stages
from practicehub.implementation.services.access import InvalidInput
from practicehub.practice_model.errors import ModelFileError
from practicehub.practice_model.models import ModelVersion
from practicehub.practice_model.services import find_version, load_shipped_models
from practicehub.testing.personas import Personas

TODAY = datetime.date(2026, 6, 30)


@pytest.fixture
def cfpm(db: None) -> ModelVersion:
    load_shipped_models()
    return find_version("cfpm")


def test_stage_durations_and_completion_per_site(personas: Personas, cfpm: ModelVersion) -> None:
    lead, county = personas.fresno.lead, personas.fresno.county
    stages.record_stage(lead, node=county, model_version=cfpm, stage=Stage.EXPLORATION,
                        entered_on=datetime.date(2026, 1, 1))
    stages.record_stage(lead, node=county, model_version=cfpm, stage=Stage.INSTALLATION,
                        entered_on=datetime.date(2026, 3, 2))
    for code in ("EXP-1", "EXP-2", "EXP-3"):
        stages.rate_activity(lead, node=county, model_version=cfpm, activity=code,
                             rating=Rating.ESTABLISHED, completed_on=datetime.date(2026, 2, 1))
    stages.rate_activity(lead, node=county, model_version=cfpm, activity="INS-1",
                         rating=Rating.IN_PROCESS)
    [row] = stages.compare_sites(StageRecord.objects.all(), ChecklistRating.objects.all(), cfpm,
                                 TODAY)
    measures = {m.stage: m for m in row.measures}
    assert row.current == Stage.INSTALLATION
    # Exploration: 1 Jan to 2 Mar = 60 days, 3 of its 6 activities established.
    assert measures[Stage.EXPLORATION].duration_days == 60
    assert measures[Stage.EXPLORATION].proportion == Decimal("0.5")
    # Installation is current: 2 Mar to today (30 Jun) = 120 days; in-process does not count.
    assert measures[Stage.INSTALLATION].duration_days == 120
    assert measures[Stage.INSTALLATION].established == 0
    assert measures[Stage.FULL].duration_days is None


def test_a_stage_dated_before_an_earlier_stage_is_refused(personas: Personas,
                                                          cfpm: ModelVersion) -> None:
    lead, county = personas.fresno.lead, personas.fresno.county
    stages.record_stage(lead, node=county, model_version=cfpm, stage=Stage.EXPLORATION,
                        entered_on=datetime.date(2026, 3, 1))
    with pytest.raises(InvalidInput) as refused:
        stages.record_stage(lead, node=county, model_version=cfpm, stage=Stage.INSTALLATION,
                            entered_on=datetime.date(2026, 2, 1))
    assert refused.value.field == "entered_on"
    assert StageRecord.objects.count() == 1


def test_an_established_activity_needs_its_milestone_date(personas: Personas,
                                                          cfpm: ModelVersion) -> None:
    with pytest.raises(InvalidInput, match="completed_on"):
        stages.rate_activity(personas.fresno.lead, node=personas.fresno.county,
                             model_version=cfpm, activity="EXP-1", rating=Rating.ESTABLISHED)
    with pytest.raises(InvalidInput, match="no checklist activity has the code 'NOPE-1'"):
        stages.rate_activity(personas.fresno.lead, node=personas.fresno.county,
                             model_version=cfpm, activity="NOPE-1", rating=Rating.IN_PROCESS)
    assert not ChecklistRating.objects.exists()


def test_the_shipped_checklists_cover_all_four_stages() -> None:
    checklists = stages.shipped_checklists()
    assert [len(checklists.activities[s]) for s in Stage] == [6, 6, 5, 5]


def test_a_checklist_file_with_a_repeated_code_names_the_line() -> None:
    text = ("format: practicehub.stage-checklists/1\nversion: '1'\nstages:\n"
            + "".join(f"  - stage: {s}\n    activities:\n      - {{code: EXP-1, text: x}}\n"
                      for s in ("exploration", "installation", "initial", "full")))
    with pytest.raises(ModelFileError) as caught:
        stages.parse_checklists(text, "c.yaml")
    assert str(caught.value.problems[0]) == ("c.yaml:9: activity code 'EXP-1' is used twice "
                                             "(first on line 6)")


def test_an_office_coach_and_a_partner_see_their_countys_stage_but_not_another_county(
    personas: Personas, cfpm: ModelVersion, login_as: Any,
) -> None:
    for county in (personas.fresno, personas.humboldt):
        stages.record_stage(county.lead, node=county.county, model_version=cfpm,
                            stage=Stage.INITIAL, entered_on=datetime.date(2026, 1, 1))
    for user in (personas.fresno.coach, personas.fresno.partner, personas.fresno.practitioner):
        page = login_as(user).get(reverse("implementation:stage_list")).content.decode()
        assert "Fresno County" in page
        assert "Humboldt County" not in page
        fresno = login_as(user).get(reverse("implementation:stage_site",
                                            args=[personas.fresno.county.pk]))
        assert fresno.status_code == 200
        humboldt = login_as(user).get(reverse("implementation:stage_site",
                                              args=[personas.humboldt.county.pk]))
        assert humboldt.status_code == 404


def test_an_activity_nobody_rated_reads_not_rated_yet_not_undeveloped(
    personas: Personas, cfpm: ModelVersion, login_as: Any,
) -> None:
    lead, county = personas.fresno.lead, personas.fresno.county
    stages.rate_activity(lead, node=county, model_version=cfpm, activity="EXP-1",
                         rating=Rating.UNDEVELOPED)
    stages.rate_activity(lead, node=county, model_version=cfpm, activity="EXP-2",
                         rating=Rating.IN_PROCESS)
    url = reverse("implementation:stage_site", args=[county.pk])
    read_only = login_as(personas.fresno.coach).get(url).content.decode()
    rows = dict(re.findall(r'<th scope="row">(EXP-\d):[^<]*</th>\s*<td>([^<]*)</td>', read_only))
    assert rows["EXP-1"] == "Undeveloped"  # rated so
    assert rows["EXP-2"] == "In process"
    assert rows["EXP-3"] == "Not rated yet"
    managed = login_as(lead).get(url).content.decode()
    pickers = dict(re.findall(r'id="rating-(EXP-\d)" name="rating">(.*?)</select>', managed))
    assert pickers["EXP-3"].startswith('<option value="" selected disabled>Not rated yet</option>')
    assert "Not rated yet" not in pickers["EXP-1"]
    assert '<option value="undeveloped" selected>' in pickers["EXP-1"]
    # Saved without choosing a rating: refused, nothing recorded.
    answer = login_as(lead).post(reverse("implementation:stage_rate", args=[county.pk]),
                                 {"model_version": cfpm.pk, "activity": "EXP-3"}, follow=True)
    flashed = [str(message) for message in answer.context["messages"]]
    assert flashed == ["Nothing was saved. rating: This field is required."]
    assert not ChecklistRating.objects.filter(node=county, activity="EXP-3").exists()
