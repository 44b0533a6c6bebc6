"""Implementation support pages, one module per job: overview, teams (and meetings), plans,
stages, support (the support log and peer learning); shared holds what they share. Views check
scope, call a service and render; the permission map (permissions.py) has already checked
capabilities."""
