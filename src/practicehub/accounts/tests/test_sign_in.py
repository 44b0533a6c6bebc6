from __future__ import annotations

import time_machine
from django.test import Client
from django.urls import reverse

from practicehub.audit.actions import Action
from practicehub.audit.models import AuditEvent
from practicehub.testing.personas import PASSWORD, Personas

LOGIN = "/accounts/login/"


def _attempt(client: Client, username: str, password: str) -> int:
    return client.post(LOGIN, {"username": username, "password": password}).status_code


def test_it_signs_in_with_the_right_password_and_records_it(personas: Personas,
                                                            client: Client) -> None:
    assert _attempt(client, "fresno_coach", PASSWORD) == 302
    event = AuditEvent.objects.filter(action=Action.SIGN_IN).get()
    assert event.actor == personas.fresno.coach
    assert event.request_id
    assert event.ip_address == "127.0.0.1"


def test_a_wrong_password_is_refused_and_recorded_without_the_password(
    personas: Personas, client: Client,
) -> None:
    response = client.post(LOGIN, {"username": "fresno_coach", "password": "guess-one"})
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()
    event = AuditEvent.objects.get(action=Action.SIGN_IN_FAILED)
    assert event.actor_label == "fresno_coach"
    assert "guess-one" not in str(event.__dict__)


def test_five_failures_lock_the_account_even_against_the_right_password(
    personas: Personas, client: Client,
) -> None:
    for _ in range(5):
        _attempt(client, "fresno_coach", "wrong password")
    response = client.post(LOGIN, {"username": "fresno_coach", "password": PASSWORD})
    assert response.status_code == 200
    assert "locked" in response.content.decode()
    assert AuditEvent.objects.filter(action=Action.SIGN_IN_LOCKED).exists()


def test_the_lock_ends_after_the_lockout_window(personas: Personas, client: Client) -> None:
    with time_machine.travel("2026-03-02 09:00 +0000", tick=False) as clock:
        for _ in range(5):
            _attempt(client, "fresno_coach", "wrong password")
        clock.shift(16 * 60)
        assert _attempt(client, "fresno_coach", PASSWORD) == 302


def test_failures_spread_beyond_the_window_do_not_lock(personas: Personas,
                                                       client: Client) -> None:
    with time_machine.travel("2026-03-02 09:00 +0000", tick=False) as clock:
        for _ in range(4):
            _attempt(client, "fresno_coach", "wrong password")
        clock.shift(20 * 60)
        _attempt(client, "fresno_coach", "wrong password")
        assert _attempt(client, "fresno_coach", PASSWORD) == 302


def test_a_success_clears_earlier_failures(personas: Personas, client: Client) -> None:
    for _ in range(4):
        _attempt(client, "fresno_coach", "wrong password")
    assert _attempt(client, "fresno_coach", PASSWORD) == 302
    client.post(reverse("accounts:logout"))
    for _ in range(4):
        _attempt(client, "fresno_coach", "wrong password")
    assert _attempt(client, "fresno_coach", PASSWORD) == 302


def test_signing_out_is_recorded(personas: Personas, client: Client) -> None:
    _attempt(client, "fresno_coach", PASSWORD)
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert AuditEvent.objects.filter(action=Action.SIGN_OUT,
                                     actor=personas.fresno.coach).exists()
