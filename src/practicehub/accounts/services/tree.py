"""Loading the organisation tree from a file (docs/organisation-tree.md).

The whole file is checked first; any error names the entry and nothing is written. Loading again
updates names and parents in place, matched by code, so a tree file can be re-applied safely.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from practicehub.accounts.models import NodeKind, OrgNode, PartnerKind, Visitor
from practicehub.accounts.roles import Capability
from practicehub.accounts.scoping import has_capability
from practicehub.audit.actions import Action
from practicehub.audit.services import record_event
from practicehub.core.errors import Located, Refused
from practicehub.core.textfiles import UnreadableFile, read_text
from practicehub.core.yamlfiles import read_document

SHIPPED_TREE = Path(__file__).resolve().parent.parent / "data" / "california.yaml"
FORMAT = "practicehub.org-tree/1"
_CODE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_FIPS = re.compile(r"^\d{5}$")
_FIELDS = {"code", "name", "kind", "parent", "fips", "partner_kind"}
_LIMITS = {"code": 64, "name": 200}


class TreeFileError(Refused):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors), [Located(error) for error in errors])
        self.errors = errors


@dataclass(frozen=True)
class NodeSpec:
    code: str
    name: str
    kind: str
    parent: str | None
    fips: str
    partner_kind: str


@dataclass(frozen=True)
class LoadSummary:
    created: int
    updated: int
    unchanged: int


class CycleRefused(Refused):
    """A node would be placed inside its own subtree."""

    def __init__(self) -> None:
        super().__init__("A node cannot be moved inside its own subtree.",
                         [Located("A node cannot be moved inside its own subtree.",
                                  field="parent")])


def parent_choices(user: Visitor) -> list[OrgNode]:
    """Where ``user`` may place a node: the nodes in their scope at which they hold
    ``org.manage`` (saving refuses any other parent)."""
    return [candidate for candidate in OrgNode.objects.visible_to(user)
            if has_capability(user, Capability.ORG_MANAGE, candidate)]


def refuse_cycle(node: OrgNode, parent: OrgNode | None) -> None:
    """The tree's invariant: a saved node is never placed under itself or its own subtree
    (``CycleRefused``). A new node has no subtree yet."""
    if node.pk and parent is not None and parent.path.startswith(node.path):
        raise CycleRefused


def _entry_errors(place: str, entry: dict[str, Any]) -> list[str]:
    errors = [f"{place}: unknown field '{key}'" for key in sorted(set(entry) - _FIELDS)]
    for field in ("code", "name", "kind"):
        if not str(entry.get(field) or "").strip():
            errors.append(f"{place}: missing '{field}'")
    code = str(entry.get("code") or "")
    if code and not _CODE.match(code):
        errors.append(f"{place}: code '{code}' must be lower-case letters, digits and hyphens")
    for field, limit in _LIMITS.items():
        if len(str(entry.get(field) or "")) > limit:
            errors.append(f"{place}: {field} is longer than {limit} characters")
    kind = str(entry.get("kind") or "")
    if kind and kind not in NodeKind.values:
        errors.append(f"{place}: unknown kind '{kind}' (one of {', '.join(NodeKind.values)})")
    fips = str(entry.get("fips") or "")
    if fips and not _FIPS.match(fips):
        errors.append(f"{place}: fips '{fips}' must be five digits, e.g. 06019")
    partner_kind = str(entry.get("partner_kind") or "")
    if partner_kind and partner_kind not in PartnerKind.values:
        errors.append(f"{place}: unknown partner_kind '{partner_kind}'")
    return errors


def _read_yaml(text: str, source: str) -> Any:
    document, problems = read_document(text, source)
    if problems:
        raise TreeFileError([str(problem) for problem in problems])
    return document.data


def parse_tree(text: str, source: str) -> list[NodeSpec]:
    """Read and check a tree file; raise ``TreeFileError`` listing every problem."""
    document = _read_yaml(text, source)
    if not isinstance(document, dict) or not isinstance(document.get("nodes"), list):
        raise TreeFileError([f"{source}: expected a mapping with a list under 'nodes'"])
    if document.get("format") != FORMAT:
        raise TreeFileError([f"{source}: 'format' must be '{FORMAT}'"])
    errors: list[str] = []
    specs: list[NodeSpec] = []
    seen: set[str] = set()
    for index, entry in enumerate(document["nodes"]):
        place = f"{source}: nodes[{index}]"
        if not isinstance(entry, dict):
            errors.append(f"{place}: expected a mapping")
            continue
        place += f" (code '{entry.get('code', '')}')"
        errors.extend(_entry_errors(place, entry))
        code = str(entry.get("code") or "")
        parent = entry.get("parent")
        if code in seen:
            errors.append(f"{place}: duplicate code")
        if parent is not None and str(parent) not in seen:
            errors.append(f"{place}: parent '{parent}' is not defined above this entry")
        seen.add(code)
        specs.append(NodeSpec(code, str(entry.get("name") or ""), str(entry.get("kind") or ""),
                              str(parent) if parent is not None else None,
                              str(entry.get("fips") or ""), str(entry.get("partner_kind") or "")))
    if errors:
        raise TreeFileError(errors)
    return specs


def _apply(spec: NodeSpec, nodes: dict[str, OrgNode]) -> str:
    parent = nodes[spec.parent] if spec.parent else None
    node = nodes.get(spec.code) or OrgNode(code=spec.code)
    wanted = {"name": spec.name, "kind": spec.kind, "parent_id": parent.pk if parent else None,
              "fips": spec.fips, "partner_kind": spec.partner_kind}
    changed = [field for field, value in wanted.items() if getattr(node, field) != value]
    if node.pk is not None and not changed:
        return "unchanged"
    for field, value in wanted.items():
        setattr(node, field, value)
    created = node.pk is None
    node.save()
    nodes[spec.code] = node
    record_event(Action.CREATE if created else Action.UPDATE, obj=node,
                 fields=[field.removesuffix("_id") for field in changed])
    return "created" if created else "updated"


def load_tree(path: Path) -> LoadSummary:
    try:
        text = read_text(path)
    except UnreadableFile as unreadable:
        raise TreeFileError([str(unreadable)]) from None
    specs = parse_tree(text, str(path))
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    with transaction.atomic():
        nodes = {node.code: node for node in OrgNode.objects.all()}
        for spec in specs:
            counts[_apply(spec, nodes)] += 1
        _refresh_paths()
    return LoadSummary(**counts)


def _refresh_paths() -> None:
    """Recompute stored paths until stable: a moved parent moves its whole subtree."""
    changed = True
    while changed:
        changed = False
        for node in OrgNode.objects.select_related("parent").order_by("depth", "pk"):
            if node.path != node.computed_path():
                node.save()
                changed = True


@dataclass
class TreeBranch:
    node: OrgNode
    children: list[TreeBranch]


def build_forest(nodes: list[OrgNode]) -> list[TreeBranch]:
    """Nest visible nodes under their nearest visible parent; the rest become roots."""
    branches = {node.pk: TreeBranch(node, []) for node in sorted(nodes, key=lambda n: n.path)}
    roots: list[TreeBranch] = []
    for branch in branches.values():
        parent = branches.get(branch.node.parent_id) if branch.node.parent_id else None
        (parent.children if parent else roots).append(branch)
    return roots
