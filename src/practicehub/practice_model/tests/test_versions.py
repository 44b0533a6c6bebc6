"""A published version never changes; drafts can be replaced, copied, edited and published."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.db import transaction
from django.db.models import ProtectedError

from practicehub.audit.actions import Action
from practicehub.audit.models import AuditEvent
from practicehub.practice_model.errors import (
    ModelChangeError,
    ModelFileError,
    PublishedVersionError,
)
from practicehub.practice_model.models import (
    Behavior,
    ModelVersion,
    Practice,
    ProfileDescriptor,
    Status,
    SystemicIssue,
)
from practicehub.practice_model.services import (
    Outcome,
    find_version,
    load_model_text,
    publish,
    read_spec,
    start_draft,
    update_behavior,
)
from practicehub.practice_model.tests.helpers import SMALL_MODEL, line_of, row_count

pytestmark = pytest.mark.django_db


@pytest.fixture
def published() -> ModelVersion:
    return load_model_text(SMALL_MODEL).version


def behavior(version: ModelVersion, code: str) -> Behavior:
    return Behavior.objects.get(version=version, code=code)


def test_loading_the_same_published_file_again_is_a_no_op(published: ModelVersion) -> None:
    before = row_count()
    result = load_model_text(SMALL_MODEL)
    assert result.outcome is Outcome.UNCHANGED
    assert result.version == published
    assert "already loaded" in result.message
    assert row_count() == before


def test_loading_changed_content_under_a_published_version_is_refused(
    published: ModelVersion,
) -> None:
    text = SMALL_MODEL.replace("Asks about strengths first.", "Asks about strengths.")
    before = row_count()
    with pytest.raises(ModelFileError) as caught:
        load_model_text(text, "model.yaml")
    assert [str(p) for p in caught.value.problems] == [
        f"model.yaml:{line_of(text, 'version:')}: small@1 is published and a published version "
        "cannot change; give it a new version",
    ]
    assert row_count() == before
    assert behavior(published, "EE-1").text == "Asks about strengths first."


def test_loading_a_draft_again_replaces_it() -> None:
    draft_text = SMALL_MODEL.replace("status: published", "status: draft")
    load_model_text(draft_text)
    result = load_model_text(draft_text.replace("Asks about strengths first.", "Asks first."))
    assert result.outcome is Outcome.REPLACED
    assert ModelVersion.objects.count() == 1
    assert behavior(result.version, "EE-1").text == "Asks first."


def test_a_published_behavior_refuses_to_be_edited(published: ModelVersion) -> None:
    with pytest.raises(PublishedVersionError, match="start a new draft"):
        update_behavior(behavior(published, "EE-1"), text="Something else.")
    assert behavior(published, "EE-1").text == "Asks about strengths first."


def test_published_rows_refuse_save_and_delete(published: ModelVersion) -> None:
    row = behavior(published, "EE-1")
    row.text = "Changed behind the service's back."
    with pytest.raises(PublishedVersionError):
        row.save()
    with pytest.raises(PublishedVersionError):
        row.delete()
    with pytest.raises(PublishedVersionError):
        ProfileDescriptor.objects.filter(behavior__version=published).first().delete()  # type: ignore[union-attr]
    with pytest.raises(PublishedVersionError):
        published.delete()
    assert behavior(published, "EE-1").text == "Asks about strengths first."


def test_published_rows_refuse_bulk_updates_deletes_and_relinking(
    published: ModelVersion,
) -> None:
    before = row_count()
    with pytest.raises(PublishedVersionError):
        Behavior.objects.filter(version=published).update(text="Bulk change.")
    with pytest.raises(PublishedVersionError):
        Practice.objects.filter(version=published).delete()
    with pytest.raises(PublishedVersionError):
        ModelVersion.objects.filter(pk=published.pk).update(name="Renamed")
    issue = SystemicIssue.objects.get(version=published)
    # Django links M2M rows inside a transaction without a savepoint of its own; give it one.
    with pytest.raises(PublishedVersionError), transaction.atomic():
        issue.practices.clear()
    assert row_count() == before


def test_start_draft_copies_every_part_into_a_new_draft(published: ModelVersion) -> None:
    draft = start_draft(published, "2")
    assert draft.status == Status.DRAFT
    assert draft.derived_from == published
    assert read_spec(draft) == replace(read_spec(published), version="2", status="draft")
    assert behavior(draft, "EE-1").pk != behavior(published, "EE-1").pk


def test_start_draft_refuses_a_label_that_exists(published: ModelVersion) -> None:
    with pytest.raises(ModelChangeError, match="already exists"):
        start_draft(published, "1")


def test_start_draft_refuses_a_label_that_cannot_be_a_version(published: ModelVersion) -> None:
    with pytest.raises(ModelChangeError, match="version label"):
        start_draft(published, "two words")


def test_editing_a_draft_changes_only_the_draft(published: ModelVersion) -> None:
    draft = start_draft(published, "2")
    changed = update_behavior(
        behavior(draft, "EE-1"), text="Asks about strengths and hopes.",
        descriptors={"high": "Always asks, and listens.", "low": "Never asks."},
        wording="official",
    )
    assert changed == ["text", "wording", "descriptors.high"]
    edited = behavior(draft, "EE-1")
    assert edited.text == "Asks about strengths and hopes."
    assert edited.wording == "official"
    assert edited.descriptors.get(level__code="high").text == "Always asks, and listens."
    assert behavior(published, "EE-1").text == "Asks about strengths first."


def test_an_edit_with_an_unknown_level_or_blank_text_saves_nothing(
    published: ModelVersion,
) -> None:
    draft = start_draft(published, "2")
    with pytest.raises(ModelChangeError, match="not profile levels"):
        update_behavior(behavior(draft, "EE-1"), text="New text.", descriptors={"mid": "So-so."})
    with pytest.raises(ModelChangeError, match="cannot be blank"):
        update_behavior(behavior(draft, "EE-1"), text="   ")
    assert behavior(draft, "EE-1").text == "Asks about strengths first."


def test_publishing_a_draft_freezes_it_and_makes_it_the_latest(published: ModelVersion) -> None:
    draft = start_draft(published, "2")
    publish(draft)
    draft.refresh_from_db()
    assert draft.is_published
    assert draft.published_at is not None
    assert find_version("small") == draft
    with pytest.raises(PublishedVersionError):
        update_behavior(behavior(draft, "EE-1"), text="Too late.")
    with pytest.raises(ModelChangeError, match="already published"):
        publish(draft)


def test_load_draft_edit_and_publish_are_each_audited(published: ModelVersion) -> None:
    draft = start_draft(published, "2")
    target = behavior(draft, "EE-1")
    update_behavior(target, text="Asks first.")
    publish(draft)
    events = list(AuditEvent.objects.filter(object_type__startswith="practice_model.")
                  .order_by("id"))
    assert [(e.action, e.object_id) for e in events] == [
        (Action.CREATE, str(published.pk)),
        (Action.CREATE, str(draft.pk)),
        (Action.UPDATE, str(target.pk)),
        (Action.PUBLISH, str(draft.pk)),
    ]
    assert events[2].changed_fields == ["text"]
    assert all(e.actor is None for e in events)


def test_a_draft_that_other_records_point_at_is_not_replaced(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    draft_text = SMALL_MODEL.replace("status: published", "status: draft")
    draft = load_model_text(draft_text).version

    def refuse(self: ModelVersion, *args: object, **kwargs: object) -> None:
        # Stands in for a later app's PROTECT foreign key to one of the draft's behaviors.
        raise ProtectedError("in use", set())

    monkeypatch.setattr(ModelVersion, "delete", refuse)
    with pytest.raises(ModelFileError, match="already in use elsewhere"):
        load_model_text(draft_text.replace("Asks about strengths first.", "Asks first."))
    assert behavior(draft, "EE-1").text == "Asks about strengths first."
