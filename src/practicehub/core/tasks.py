"""Tasks run by the database task worker (``practicehub db_worker``, started by ``serve``)."""

from __future__ import annotations

from django.tasks import task

from practicehub.core.services import export_jobs, jobs


@task()
def run_import_job(job_id: int) -> str:
    return jobs.run(job_id)


@task()
def run_export_job(job_id: int) -> str:
    return export_jobs.run(job_id)
