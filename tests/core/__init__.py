"""core's toolkit tested against the apps that use it (core's own tests import no app)."""
