"""Implementation support rules. Views, the API, the demo and other apps call these.

- ``teams``: teams, members, charters, meetings, decisions, action items
- ``plans``: plans, priorities, objectives, action steps, progress roll-ups, flags, timeline
- ``stages``: stage records, checklist ratings, stage durations and completion across sites
- ``support``: the support-activity log, dosage roll-ups, lessons and their search
- ``charts`` / ``tables`` / ``exports``: Vega-Lite specs, CSV and Excel
"""
