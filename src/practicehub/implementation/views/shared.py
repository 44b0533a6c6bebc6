"""What the implementation pages share: today's date, the manage check, refusals shown on a form
or in a message, the one-form page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from practicehub.accounts.http import AuthedRequest
from practicehub.accounts.models import OrgNode
from practicehub.accounts.roles import Capability
from practicehub.accounts.scoping import has_capability
from practicehub.core.services.versioning import StaleEdit
from practicehub.implementation.services.access import InvalidInput

MANAGE = Capability.IMPLEMENTATION_MANAGE


def local_today() -> Any:
    return timezone.localdate()


def may_manage(request: AuthedRequest, node: OrgNode | None = None) -> bool:
    return has_capability(request.user, MANAGE, node)


def refuse(form: forms.Form, error: InvalidInput) -> None:
    """Show a service's refusal on the field it names, or above the form."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


def first_error(form: forms.Form) -> InvalidInput:
    field, errors = next(iter(form.errors.items()))
    return InvalidInput(field, " ".join(str(error) for error in errors))


def flash_refusal(request: AuthedRequest, error: InvalidInput) -> None:
    messages.error(request, f"Nothing was saved. {error.field}: {error.message}")


def flash_stale(request: AuthedRequest, error: StaleEdit) -> None:
    """A one-field form on a list page: the refusal and both values go in the message."""
    messages.error(request, f"{error.message} {error.summary}")


def flash_status(request: AuthedRequest, what: str, status: str) -> None:
    """A status form in a list: say what changed, since the page otherwise looks the same."""
    messages.success(request, f"Status updated: “{what}” is now {status}.")


def form_page(request: AuthedRequest, form: forms.Form, heading: str, back: str,
               status: int = 200) -> HttpResponse:
    return render(request, "implementation/form.html",
                  {"form": form, "heading": heading, "back": back}, status=status)
