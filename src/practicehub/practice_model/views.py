"""The practice model browser. Views look records up, call a service and render; the permission
map (permissions.py) has already decided who may open each page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from practicehub.accounts.http import AuthedRequest
from practicehub.accounts.roles import Capability
from practicehub.accounts.scoping import has_capability
from practicehub.core.services.versioning import StaleEdit
from practicehub.practice_model import services
from practicehub.practice_model.errors import ModelChangeError
from practicehub.practice_model.forms import BehaviorForm, StartDraftForm
from practicehub.practice_model.models import Behavior, CapacityArea, ModelVersion, Value
from practicehub.practice_model.services import browse, counterparts


def _version(key: str, version: str) -> ModelVersion:
    return get_object_or_404(ModelVersion, key=key, label=version)


def _behavior(key: str, version: str, code: str) -> Behavior:
    return get_object_or_404(
        Behavior.objects.select_related("version", "practice", "element"),
        version__key=key, version__label=version, code=code,
    )


def _can_change(request: AuthedRequest) -> bool:
    return has_capability(request.user, Capability.MODEL_CHANGE)


def index(request: AuthedRequest) -> HttpResponse:
    versions = ModelVersion.objects.order_by("key", "-published_at", "-created_at")
    return render(request, "practice_model/index.html", {"versions": versions})


def _version_page(request: AuthedRequest, version: ModelVersion, draft_form: StartDraftForm,
                  status: int = 200) -> HttpResponse:
    context: dict[str, Any] = {
        "version": version,
        "outline": browse.practice_outline(version),
        "other_sets": browse.other_sets(version),
        "levels": browse.profile_levels(version),
        "components": version.caseworkcomponent_set.all(),
        "siblings": ModelVersion.objects.filter(key=version.key).exclude(pk=version.pk),
        "element_counterparts": counterparts.element_counterparts(version),
        "crosswalks": counterparts.crosswalks_of(version),
        "can_change": _can_change(request),
        "draft_form": draft_form,
    }
    return render(request, "practice_model/version.html", context, status=status)


def version_detail(request: AuthedRequest, key: str, version: str) -> HttpResponse:
    return _version_page(request, _version(key, version), StartDraftForm())


def values(request: AuthedRequest, key: str, version: str) -> HttpResponse:
    found = _version(key, version)
    listed = Value.objects.filter(version=found).prefetch_related("principles")
    return render(request, "practice_model/values.html", {"version": found, "values": listed})


def capacity(request: AuthedRequest, key: str, version: str) -> HttpResponse:
    found = _version(key, version)
    areas = CapacityArea.objects.filter(version=found).prefetch_related("standards")
    return render(request, "practice_model/capacity.html", {"version": found, "areas": areas})


def systemic_issues(request: AuthedRequest, key: str, version: str) -> HttpResponse:
    found = _version(key, version)
    practices, rows = browse.issue_chart(found)
    context = {"version": found, "practices": practices, "rows": rows}
    return render(request, "practice_model/systemic_issues.html", context)


def behavior_detail(request: AuthedRequest, key: str, version: str, code: str) -> HttpResponse:
    behavior = _behavior(key, version, code)
    context = {
        "version": behavior.version,
        "behavior": behavior,
        "descriptors": browse.descriptor_rows(behavior),
        "counterparts": counterparts.behavior_counterparts(behavior),
        "can_edit": _can_change(request) and not behavior.version.is_published,
    }
    return render(request, "practice_model/behavior.html", context)


@require_http_methods(["GET", "POST"])
def behavior_edit(request: AuthedRequest, key: str, version: str, code: str) -> HttpResponse:
    behavior = _behavior(key, version, code)
    if behavior.version.is_published:
        messages.error(request, "A published version never changes; start a new draft to edit.")
        return redirect("practice_model:behavior", key=key, version=version, code=code)
    form = BehaviorForm(request.POST or None, behavior=behavior,
                        levels=browse.profile_levels(behavior.version))
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.update_behavior(
                behavior, text=form.cleaned_data["text"], wording=form.cleaned_data["wording"],
                descriptors=form.descriptors(), expected_version=form.expected_version(),
            )
        except StaleEdit as error:
            form.refuse_stale(error)
        except ModelChangeError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Saved {code}." if changed else "Nothing changed.")
            return redirect("practice_model:behavior", key=key, version=version, code=code)
    context = {"version": behavior.version, "behavior": behavior, "form": form}
    return render(request, "practice_model/behavior_form.html", context,
                  status=form.page_status())


@require_POST
def start_draft(request: AuthedRequest, key: str, version: str) -> HttpResponse:
    source = _version(key, version)
    form = StartDraftForm(request.POST)
    if form.is_valid():
        try:
            draft = services.start_draft(source, form.cleaned_data["label"])
        except ModelChangeError as exc:
            form.add_error("label", str(exc))
        else:
            messages.success(request, f"Started draft {draft.label} from {source.label}.")
            return redirect("practice_model:version", key=key, version=draft.label)
    return _version_page(request, source, form, status=400)


@require_POST
def publish(request: AuthedRequest, key: str, version: str) -> HttpResponse:
    draft = _version(key, version)
    try:
        services.publish(draft)
    except ModelChangeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Published {draft.label}; it can no longer change.")
    return redirect("practice_model:version", key=key, version=version)
