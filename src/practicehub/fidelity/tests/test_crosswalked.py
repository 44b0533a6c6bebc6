"""A worker's CFPM ratings in CPM terms, worked by hand for a small case.

The tool rates EE-1 … EE-5 on the profile scale (proficient at 3). Through the shipped
crosswalk: EE-1 narrower and EE-2 same → P-2 (element Inquiry / Exploration); EE-3 broader → F-1
and narrower → F-2; EE-4 narrower → P-1; EE-5 narrower → F-4 and P-1 (element Engagement).

Two submitted observations of the worker, [3, 2, 3, 1, 3] and [3, 3, –, 2, 2], give
EE-1 2 of 2 proficient, EE-2 1 of 2, EE-3 1 of 1, EE-4 0 of 2, EE-5 1 of 2. Pooled:
P-2 = EE-1 + EE-2 = 3 of 4 (75%), P-1 = EE-4 + EE-5 = 1 of 4 (25%), F-1 = F-2 = 1 of 1
(100%), F-4 = 1 of 2 (50%); the elements Inquiry / Exploration 3 of 4 and Engagement 1 of 4.
The Wilson interval of 3 of 4 (z = 1.96): centre (0.75 + 0.48) / 1.96 = 0.63, half-width
1.96 · √(0.0469 + 0.0600) / 1.96 = 0.33, so 30–95%.
A second observer's rating, a draft and another worker's observation count for nothing.
"""

from __future__ import annotations

import re
from datetime import date
from html import unescape
from typing import Any

import pytest
from django.urls import reverse

from practicehub.accounts.demo import DemoLogin, ensure_person
from practicehub.accounts.roles import Role
from practicehub.audit.models import AuditEvent
from practicehub.fidelity.models import ObservationTool
from practicehub.fidelity.services import coaching
from practicehub.fidelity.services.crosswalked import Counts, TermRow, terms_view
from practicehub.fidelity.tests.conftest import Observe
from practicehub.testing.personas import Personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def rated(personas: Personas, observe: Observe) -> None:
    worker, coach = personas.fresno.practitioner, personas.fresno.coach
    first = observe(worker, coach, [3, 2, 3, 1, 3])
    observe(worker, coach, [3, 3, None, 2, 2])
    observe(worker, personas.fresno.lead, [1, 1, 1, 1, 1], paired_with=first)
    observe(worker, coach, [1, 1, 1, 1, 1], submit_it=False)
    other = ensure_person(DemoLogin("fresno_worker2", "Bo", "Second", Role.PRACTITIONER,
                                    personas.fresno.unit.code))
    observe(other, coach, [1, 1, 1, 1, 1])


def _rows(personas: Personas) -> dict[str, TermRow]:
    view = terms_view(personas.fresno.practitioner, personas.fresno.coach, "cpm")
    assert view.chosen is not None
    rows = {}
    for group in view.chosen.groups:
        if group.total:
            rows[f"element:{group.total.code}"] = group.total
        rows.update({row.code: row for row in group.rows})
    return rows


@pytest.mark.usefixtures("rated")
def test_the_ratings_pool_into_cpm_behaviors_and_elements(personas: Personas) -> None:
    rows = _rows(personas)
    assert rows["P-2"].counts == Counts(rated=4, proficient=3)
    assert [(f.behavior.code, f.relation.value) for f in rows["P-2"].feeds][:2] == [
        ("EE-1", "narrower"), ("EE-2", "same")]
    assert rows["P-1"].counts == Counts(4, 1)
    assert rows["F-1"].counts == Counts(1, 1)
    assert rows["F-2"].counts == Counts(1, 1)
    assert rows["F-4"].counts == Counts(2, 1)
    assert rows["F-3"].feeds == []
    assert rows["element:inquiry"].counts == Counts(4, 3)
    assert rows["element:engagement"].counts == Counts(4, 1)
    assert rows["element:teaming"].counts == Counts(0, 0)
    assert rows["P-2"].counts.share == 0.75


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.mark.usefixtures("rated")
def test_the_worker_page_toggles_cpm_terms_and_stays_audited(personas: Personas,
                                                             login_as: Any) -> None:
    client = login_as(personas.fresno.coach)
    url = reverse("fidelity:worker", args=[personas.fresno.practitioner.pk])
    plain = client.get(url).content.decode()
    assert "Show in CPM terms" in plain
    assert "share of proficient ratings by CPM element" not in plain
    page = _text(client.get(url, {"terms": "cpm"}).content.decode())
    assert "Hide the CPM terms" in page
    assert "(2 submitted observations you may see)" in page
    assert "P-2 Explores the family's story" in page
    assert "EE-1 (narrower), EE-2 (same), PF-1 (narrower), HT-1 (narrower) 4 3 75%" in page
    assert "Element: Engagement EE-4, EE-5 4 1 25%" in page
    assert "F-3 Is respectful" in page
    assert "None mapped here 0 0 No ratings" in page
    assert "practicehub's reading" in page
    assert AuditEvent.objects.filter(action="view", actor=personas.fresno.coach,
                                     object_id=str(personas.fresno.practitioner.pk)).count() == 2


@pytest.mark.usefixtures("rated")
def test_an_unknown_model_is_refused_in_words(personas: Personas, login_as: Any) -> None:
    client = login_as(personas.fresno.coach)
    url = reverse("fidelity:worker", args=[personas.fresno.practitioner.pk])
    page = _text(client.get(url, {"terms": "xyz"}).content.decode())
    assert ("terms: no crosswalk leads from these ratings to a model 'xyz' (available: cpm); "
            "showing the ratings as recorded.") in page


@pytest.mark.usefixtures("rated")
def test_the_coaching_plan_page_shows_the_same_figures(personas: Personas,
                                                       tool: ObservationTool,
                                                       login_as: Any) -> None:
    plan = coaching.start_plan(personas.fresno.practitioner, personas.fresno.coach, tool,
                               date(2025, 4, 1))
    worker = login_as(personas.fresno.practitioner)
    page = _text(worker.get(reverse("fidelity:plan", args=[plan.pk]),
                            {"terms": "cpm"}).content.decode())
    assert "Ratings in CPM terms" in page
    assert "Element: Inquiry / Exploration EE-1, EE-2, PF-1, HT-1 4 3 75%" in page


@pytest.mark.usefixtures("rated")
def test_someone_outside_scope_gets_no_page(personas: Personas, login_as: Any) -> None:
    client = login_as(personas.humboldt.coach)
    url = reverse("fidelity:worker", args=[personas.fresno.practitioner.pk])
    assert client.get(url, {"terms": "cpm"}).status_code == 404


@pytest.mark.usefixtures("rated")
def test_the_cpm_terms_table_downloads_what_the_page_shows(personas: Personas,
                                                          login_as: Any) -> None:
    client = login_as(personas.fresno.coach)
    url = reverse("fidelity:worker", args=[personas.fresno.practitioner.pk])
    answer = client.get(url, {"terms": "cpm", "download": "terms", "format": "csv"})
    assert answer["Content-Disposition"].startswith("attachment")
    text = answer.content.decode("utf-8-sig")
    assert "P-2 Explores the family's story" in text
    # 3 of 4 proficient: Wilson 95 % interval (0.30, 0.95), worked out in the module docstring.
    assert ('"EE-1 (narrower), EE-2 (same), PF-1 (narrower), HT-1 (narrower)",4,3,75% (30–95%)'
            in text)
    assert AuditEvent.objects.filter(action="export", actor=personas.fresno.coach).exists()
