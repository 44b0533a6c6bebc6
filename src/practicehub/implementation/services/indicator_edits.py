"""Adding, changing and deleting an objective's indicators: checked by ``indicators.checked``,
the baseline filled from the data on request, audited and version-checked (ADR 0009)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from practicehub.accounts.models import User
from practicehub.audit.actions import Action
from practicehub.audit.services import record_event
from practicehub.core.services.versioning import save_if_current, shown_fields
from practicehub.implementation.models import (
    Indicator,
    Objective,
)
from practicehub.implementation.services.access import require_manage
from practicehub.implementation.services.indicator_actuals import baseline_from_data
from practicehub.implementation.services.indicators import (
    INDICATOR_FIELDS,
    checked,
)


def add_indicator(user: User, objective: Objective, *, fill_baseline: bool = False,
                  **fields: Any) -> Indicator:
    """Add an indicator to ``objective``; with ``fill_baseline`` its baseline value is the
    baseline quarter's figure from the data (as everyone sees it: suppressed cells refused)."""
    node = objective.plan.node
    require_manage(user, node)
    values = checked(node, fields)
    indicator = Indicator(objective=objective, **values)
    if fill_baseline:
        indicator.baseline_value = baseline_from_data(indicator, user)
    indicator.save()
    record_event(Action.CREATE, obj=indicator, node=node)
    return indicator


def update_indicator(user: User, indicator: Indicator, *, expected_version: int | None = None,
                     fill_baseline: bool = False, **fields: Any) -> Indicator:
    """Change an indicator; refused with ``StaleEdit`` if it was saved since
    ``expected_version``."""
    node = indicator.node
    require_manage(user, node)
    current = {name: getattr(indicator, name) for name in INDICATOR_FIELDS}
    values = checked(node, {**current, **fields})
    if fill_baseline:
        probe = Indicator(objective=indicator.objective, **values)
        values["baseline_value"] = baseline_from_data(probe, user)
    changed = {name: value for name, value in values.items() if current[name] != value}
    if changed:
        save_if_current(indicator, expected_version, changed)
        record_event(Action.UPDATE, obj=indicator, node=node, fields=list(changed))
    return indicator


@transaction.atomic
def delete_indicator(user: User, indicator: Indicator, *,
                     expected_version: int | None = None) -> None:
    """Delete an indicator; refused with ``StaleEdit`` if it was changed since the page showed
    it (so nobody deletes what they have not seen)."""
    node = indicator.node
    require_manage(user, node)
    save_if_current(indicator, expected_version, {},
                    yours=shown_fields(Indicator, {"target_value": indicator.target_value}),
                    strict=True)
    record_event(Action.DELETE, obj=indicator, node=node)
    indicator.delete()
