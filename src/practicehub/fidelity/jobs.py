"""Fidelity's background jobs: a large observation import (``core.services.jobs``)."""

from __future__ import annotations

from dataclasses import asdict

from django.urls import reverse

from practicehub.accounts.models import User
from practicehub.core.models import ImportJob
from practicehub.core.services.jobs import (
    LINKS_KEPT,
    JobRefused,
    JobResult,
    Link,
    Progress,
    submit,
)
from practicehub.fidelity.models import ObservationTool
from practicehub.fidelity.services.importing import ImportRefused, import_observations

OBSERVATION_IMPORT = "fidelity.observations"


def run_observation_import(job: ImportJob, text: str, progress: Progress) -> JobResult:
    tool = ObservationTool.objects.filter(pk=job.params["tool"]).first()
    if tool is None:
        raise JobRefused("The observation tool was deleted after the upload; nothing was "
                         "imported.", [])
    try:
        stored = import_observations(text, tool, job.submitted_by,
                                     redcap=bool(job.params.get("redcap")), progress=progress)
    except ImportRefused as refused:
        raise JobRefused(str(refused), [asdict(problem) for problem in refused.problems]) from None
    links = [Link(f"{observation.reference}: {observation.worker} on {observation.observed_on}",
                  reverse("fidelity:observation", args=[observation.pk]))
             for observation in stored[:LINKS_KEPT]]
    return JobResult(summary=f"Imported {len(stored)} observations.", count=len(stored),
                     links=links, more=Link("All observations", reverse("fidelity:observations")))


def queue_observation_import(user: User, text: str, tool: ObservationTool, *, redcap: bool,
                             file_name: str) -> ImportJob:
    return submit(OBSERVATION_IMPORT, user, text, file_name=file_name,
                  title=f"Import of observations for {tool.name}",
                  params={"tool": tool.pk, "redcap": redcap})


JOB_RUNNERS = {OBSERVATION_IMPORT: run_observation_import}
