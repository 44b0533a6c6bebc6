"""Fidelity pages, one module per job: dashboards, observations, coaching, tools, outcomes (the
fidelity page beside the outcomes). Views look records up through ``visible_to`` (404 outside
scope), call a service and render; the permission map has already checked capabilities."""
