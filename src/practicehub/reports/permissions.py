"""Who may use each report URL. Anyone signed in may ask for the report of a site in their scope
(``OrgNode.objects.visible_to``; outside it 404), built from what their own pages show them; a
job and its file are the asker's alone (``ReportJob.objects.visible_to``; anyone else 404)."""

from __future__ import annotations

from practicehub.accounts.roles import SIGNED_IN, Rule, person_level

URL_PERMISSIONS: dict[str, Rule] = {
    "reports:request": SIGNED_IN,
    "reports:job": SIGNED_IN,
    # A report holds team members' names, the decisions of their meetings and small-number
    # fidelity groups: every download is recorded as an export of the job (audit middleware).
    "reports:download": person_level(SIGNED_IN, record="reports.reportjob"),
}
