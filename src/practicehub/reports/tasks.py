"""Tasks run by the database task worker (``practicehub db_worker``, started by ``serve``)."""

from __future__ import annotations

from django.tasks import task

from practicehub.reports.services import jobs


@task()
def run_report_job(job_id: int) -> str:
    return jobs.run(job_id)
