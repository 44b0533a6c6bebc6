"""The results page names items and scale points in words, not keys and bare numbers."""

from __future__ import annotations

import html
from typing import Any

from django.urls import reverse

from practicehub.assessments.services import scoring
from practicehub.assessments.tests.world import build_assessment_world
from practicehub.testing.personas import Personas


def test_the_vote_table_shows_each_items_text_and_the_votes_scale_label(
        personas: Personas, login_as: Any) -> None:
    administration = build_assessment_world(personas).first
    spec = administration.instrument.spec
    text = next(item.text for item in scoring.items_of(spec) if item.code == "selection")
    page = html.unescape(login_as(personas.fresno.lead).get(
        reverse("assessments:administration", args=[administration.pk])).content.decode())
    votes = page[page.index("Members' votes"):]
    label = scoring.scale_label(spec, 1)
    assert f'<th scope="row">{text}</th><td>Ana</td><td>1 {label}</td>' in votes
    assert '<th scope="row">selection</th>' not in votes
    assert f"Item scored 0 {scoring.scale_label(spec, 0)}:" in page
