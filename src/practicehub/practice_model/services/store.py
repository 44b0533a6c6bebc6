"""Writing a spec to the database as a new version, and reading a version back as a spec."""

from __future__ import annotations

from dataclasses import replace

from django.db import transaction
from django.utils import timezone

from practicehub.practice_model.models import (
    Behavior,
    CapacityArea,
    CapacityStandard,
    CaseworkComponent,
    Element,
    ModelVersion,
    Practice,
    Principle,
    ProfileDescriptor,
    ProfileLevel,
    Status,
    SystemicIssue,
    Value,
)
from practicehub.practice_model.services.spec import (
    BehaviorSpec,
    CapacityAreaSpec,
    ElementSpec,
    LevelSpec,
    ModelSpec,
    NamedSpec,
    PrincipleSpec,
    StandardSpec,
    SystemicIssueSpec,
    ValueSpec,
)


def _write_values(version: ModelVersion, spec: ModelSpec) -> None:
    values = Value.objects.bulk_create(
        Value(version=version, code=v.code, name=v.name, description=v.description, order=i)
        for i, v in enumerate(spec.values)
    )
    principles = [
        (value, p) for value, v in zip(values, spec.values, strict=True) for p in v.principles
    ]
    Principle.objects.bulk_create(
        Principle(version=version, value=value, code=p.code, text=p.text, order=order)
        for order, (value, p) in enumerate(principles)
    )


def _write_capacity(version: ModelVersion, spec: ModelSpec) -> None:
    areas = CapacityArea.objects.bulk_create(
        CapacityArea(version=version, code=a.code, name=a.name, description=a.description, order=i)
        for i, a in enumerate(spec.capacity_areas)
    )
    standards = [
        (area, s) for area, a in zip(areas, spec.capacity_areas, strict=True) for s in a.standards
    ]
    CapacityStandard.objects.bulk_create(
        CapacityStandard(version=version, area=area, code=s.code, text=s.text, order=order)
        for order, (area, s) in enumerate(standards)
    )


def _write_practice(version: ModelVersion, spec: ModelSpec) -> dict[str, Practice]:
    """Practices, elements, profile levels, behaviors and descriptors; returns practices."""
    practices = {
        p.code: p
        for p in Practice.objects.bulk_create(
            Practice(version=version, code=p.code, name=p.name, description=p.description, order=i)
            for i, p in enumerate(spec.practices)
        )
    }
    elements = {
        e.code: e
        for e in Element.objects.bulk_create(
            Element(version=version, code=e.code, name=e.name, description=e.description,
                    practice=practices.get(e.practice or ""), order=i)
            for i, e in enumerate(spec.elements)
        )
    }
    levels = {
        lv.code: lv
        for lv in ProfileLevel.objects.bulk_create(
            ProfileLevel(version=version, code=lv.code, label=lv.label, rank=lv.rank,
                         description=lv.description, order=i)
            for i, lv in enumerate(spec.profile_levels)
        )
    }
    behaviors = Behavior.objects.bulk_create(
        Behavior(version=version, code=b.code, behavior_set=b.set, text=b.text, wording=b.wording,
                 practice=practices.get(b.practice or ""), element=elements.get(b.element or ""),
                 order=i)
        for i, b in enumerate(spec.behaviors)
    )
    ProfileDescriptor.objects.bulk_create(
        ProfileDescriptor(behavior=behavior, level=levels[level], text=text)
        for behavior, b in zip(behaviors, spec.behaviors, strict=True)
        for level, text in b.descriptors.items()
    )
    return practices


def _write_issues(version: ModelVersion, spec: ModelSpec, practices: dict[str, Practice]) -> None:
    issues = SystemicIssue.objects.bulk_create(
        SystemicIssue(version=version, code=s.code, name=s.name, description=s.description,
                      order=i)
        for i, s in enumerate(spec.systemic_issues)
    )
    link = SystemicIssue.practices.through
    link.objects.bulk_create(
        link(systemicissue=issue, practice=practices[code])
        for issue, s in zip(issues, spec.systemic_issues, strict=True)
        for code in s.practices
    )


def write_spec(spec: ModelSpec, *, derived_from: ModelVersion | None = None) -> ModelVersion:
    """Create a version holding ``spec``; the caller has checked the spec and the label is free.

    The version is created as a draft and published last, because published content refuses
    to be written.
    """
    with transaction.atomic():
        version = ModelVersion.objects.create(
            key=spec.key, label=spec.version, name=spec.name, status=Status.DRAFT, kind=spec.kind,
            description=spec.description, provenance=spec.provenance,
            framework_name=spec.framework_name,
            framework_description=spec.framework_description, derived_from=derived_from,
        )
        _write_values(version, spec)
        _write_capacity(version, spec)
        practices = _write_practice(version, spec)
        _write_issues(version, spec, practices)
        CaseworkComponent.objects.bulk_create(
            CaseworkComponent(version=version, code=c.code, name=c.name,
                              description=c.description, order=i)
            for i, c in enumerate(spec.casework_components)
        )
        if spec.status == Status.PUBLISHED:
            mark_published(version)
    return version


def mark_published(version: ModelVersion) -> None:
    version.status = Status.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])


def _behavior_spec(behavior: Behavior) -> BehaviorSpec:
    return BehaviorSpec(
        code=behavior.code, set=behavior.behavior_set, text=behavior.text,
        wording=behavior.wording,
        practice=behavior.practice.code if behavior.practice else None,
        element=behavior.element.code if behavior.element else None,
        descriptors={
            d.level.code: d.text
            for d in sorted(behavior.descriptors.all(), key=lambda d: d.level.order)
        },
    )


def _behaviors(version: ModelVersion) -> tuple[BehaviorSpec, ...]:
    behaviors = (
        Behavior.objects.filter(version=version)
        .select_related("practice", "element")
        .prefetch_related("descriptors__level")
        .order_by("order")
    )
    return tuple(_behavior_spec(behavior) for behavior in behaviors)


def read_spec(version: ModelVersion) -> ModelSpec:
    """The content of a stored version, in file order."""
    return ModelSpec(
        key=version.key, name=version.name, version=version.label, status=version.status,
        kind=version.kind, description=version.description, provenance=version.provenance,
        framework_name=version.framework_name,
        framework_description=version.framework_description,
        profile_levels=tuple(
            LevelSpec(lv.code, lv.label, lv.rank, lv.description)
            for lv in ProfileLevel.objects.filter(version=version).order_by("order")
        ),
        values=tuple(
            ValueSpec(v.code, v.name, v.description,
                      tuple(PrincipleSpec(p.code, p.text) for p in v.principles.all()))
            for v in Value.objects.filter(version=version).prefetch_related("principles")
        ),
        practices=tuple(
            NamedSpec(p.code, p.name, p.description)
            for p in Practice.objects.filter(version=version)
        ),
        elements=tuple(
            ElementSpec(e.code, e.name, e.practice.code if e.practice else None, e.description)
            for e in Element.objects.filter(version=version).select_related("practice")
        ),
        behaviors=_behaviors(version),
        capacity_areas=tuple(
            CapacityAreaSpec(a.code, a.name, a.description,
                             tuple(StandardSpec(s.code, s.text) for s in a.standards.all()))
            for a in CapacityArea.objects.filter(version=version).prefetch_related("standards")
        ),
        systemic_issues=tuple(
            SystemicIssueSpec(i.code, i.name, tuple(p.code for p in i.practices.all()),
                              i.description)
            for i in SystemicIssue.objects.filter(version=version).prefetch_related("practices")
        ),
        casework_components=tuple(
            NamedSpec(c.code, c.name, c.description)
            for c in CaseworkComponent.objects.filter(version=version)
        ),
    )


def copy_version(version: ModelVersion, label: str) -> ModelVersion:
    """A new draft with the content of ``version`` under ``label``."""
    spec = replace(read_spec(version), version=label, status=Status.DRAFT)
    return write_spec(spec, derived_from=version)
