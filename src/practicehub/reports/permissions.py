"""Who may use each report URL. Anyone signed in may ask for the report of a site in their scope
(``OrgNode.objects.visible_to``; outside it 404), built from what their own pages show them; a
job and its file are the asker's alone (``ReportJob.objects.visible_to``; anyone else 404).
A System Improvement Plan's annual progress and the county data pack hold aggregates only."""

from __future__ import annotations

from practicehub.accounts.roles import SIGNED_IN, Rule, person_level

URL_PERMISSIONS: dict[str, Rule] = {
    "reports:request": SIGNED_IN,
    "reports:job": SIGNED_IN,
    # A report holds team members' names, the decisions of their meetings and small-number
    # fidelity groups: every download is recorded as an export of the job (audit middleware).
    "reports:download": person_level(SIGNED_IN, record="reports.reportjob"),
    # Aggregate figures only (outcome figures suppressed as on the dashboards, fidelity shares
    # hidden for fewer than 5 workers): not person-level; each download is recorded as an export
    # like every attachment. A plan outside the scope answers 404 in the view.
    "reports:sip_progress": SIGNED_IN,
    # The county must be in the person's outcome scope (else 404); the state and peer counties
    # are always suppressed unless the scope holds them and a role grants outcomes.unsuppressed.
    "reports:data_pack": SIGNED_IN,
    "reports:data_pack_file": SIGNED_IN,
}
