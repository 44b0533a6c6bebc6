"""Helpers the backup tests run as separate processes against a data folder of their own.

``python -m tests.core.backup_world populate`` builds a demo installation (the demo's
tree, models, people, observations, plans and assessments, a small outcome database and an
upload); ``… write`` keeps writing audit events and people until it is stopped, as a busy
server would.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from practicehub.accounts.models import User


def populate() -> None:
    from django.conf import settings
    from django.core.management import call_command

    from practicehub.audit.actions import Action
    from practicehub.audit.services import record_event
    from practicehub.outcomes.data import store, synthetic
    from practicehub.outcomes.services.access import default_database
    from practicehub.testing.personas import make_personas

    call_command("migrate", interactive=False, verbosity=0)
    personas = make_personas()
    _observations(personas.fresno.coach, personas.fresno.practitioner)
    for number in range(50):
        record_event(Action.EXPORT, object_type="fidelity.observation", object_id=str(number))
    with tempfile.TemporaryDirectory() as folder:
        synthetic.generate(Path(folder), 2000, seed=5)
        store.import_directory(Path(folder), default_database())
    uploads = Path(settings.DATA_DIR) / "uploads"
    uploads.mkdir(exist_ok=True)
    (uploads / "observations.csv").write_text("worker,observer\nfresno.worker,fresno.coach\n")


def _observations(coach: User, worker: User) -> None:
    """A tool on the shipped CFPM (published model rows) and three submitted observations."""
    from datetime import date

    from practicehub.fidelity.models import Setting
    from practicehub.fidelity.services import observations as service
    from practicehub.practice_model.services import find_version, load_shipped_models

    load_shipped_models()
    version = find_version("cfpm")
    behaviors = list(version.behavior_set.filter(behavior_set="practice").order_by("order")[:3])
    tool = service.create_tool(service.ToolSpec(
        name="CFPM practice behaviors", version=version, scale="profile", behaviors=behaviors,
        settings=[Setting.HOME_VISIT]))
    for day in (3, 10, 17):
        observation = service.start_observation(service.NewObservation(
            tool=tool, worker=worker, observer=coach, observed_on=date(2025, 3, day),
            setting=Setting.HOME_VISIT), coach)
        service.save_draft(observation, coach, {
            behavior.pk: ("rated", 1 + day % 3) for behavior in behaviors})
        service.submit(observation, coach)


def write_forever() -> None:
    from django.db import transaction

    from practicehub.accounts.models import User
    from practicehub.audit.actions import Action
    from practicehub.audit.services import record_event

    number = 0
    while True:
        with transaction.atomic():
            record_event(Action.VIEW, object_type="fidelity.observation", object_id=str(number))
            if number % 5 == 0:
                User.objects.create(username=f"writer.{number}")
        number += 1


if __name__ == "__main__":
    import django

    django.setup()
    {"populate": populate, "write": write_forever}[sys.argv[1]]()
