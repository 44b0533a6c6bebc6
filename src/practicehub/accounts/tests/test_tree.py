from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from practicehub.accounts.models import NodeKind, OrgNode
from practicehub.accounts.services.tree import SHIPPED_TREE, TreeFileError, load_tree


@pytest.fixture
def shipped(db: None) -> None:
    load_tree(SHIPPED_TREE)


def test_the_shipped_tree_has_58_counties_with_fips_codes(shipped: None) -> None:
    counties = OrgNode.objects.filter(kind=NodeKind.COUNTY)
    assert counties.count() == 58
    assert OrgNode.objects.get(code="fresno").fips == "06019"
    assert OrgNode.objects.get(code="humboldt").fips == "06023"
    assert OrgNode.objects.get(code="yuba").fips == "06115"
    assert len({county.fips for county in counties}) == 58


def test_every_county_sits_in_a_training_academy_region(shipped: None) -> None:
    for county in OrgNode.objects.filter(kind=NodeKind.COUNTY).select_related("parent"):
        assert county.parent is not None
        assert county.parent.kind == NodeKind.REGION


def test_the_seed_sites_and_partners_are_in_the_tree(shipped: None) -> None:
    la_offices = set(OrgNode.objects.get(code="los-angeles").children.values_list("name",
                                                                                 flat=True))
    assert {"Los Angeles Pomona office", "Los Angeles Wateridge office"} <= la_offices
    for code in ("santa-clara", "sacramento", "humboldt", "fresno"):
        assert OrgNode.objects.get(code=code).children.exists()
    partners = OrgNode.objects.filter(kind=NodeKind.PARTNER)
    assert {"cfpic", "calswec", "fpg-unc", "cwda"} <= set(partners.values_list("code", flat=True))


def test_loading_twice_changes_nothing(shipped: None) -> None:
    summary = load_tree(SHIPPED_TREE)
    assert summary.created == 0
    assert summary.updated == 0


def test_paths_follow_the_tree(shipped: None) -> None:
    unit = OrgNode.objects.get(code="la-pomona-unit-a")
    assert unit.path == "/ca/rta-la/los-angeles/la-pomona/la-pomona-unit-a/"
    assert [node.code for node in unit.ancestors()] == ["ca", "rta-la", "los-angeles",
                                                        "la-pomona"]


def test_moving_a_node_moves_its_subtree(shipped: None, tmp_path: Path) -> None:
    moved = SHIPPED_TREE.read_text().replace(
        "{code: la-pomona, name: Los Angeles Pomona office, kind: office, parent: los-angeles}",
        "{code: la-pomona, name: Los Angeles Pomona office, kind: office, parent: fresno}")
    tree_file = tmp_path / "tree.yaml"
    tree_file.write_text(moved)
    load_tree(tree_file)
    unit = OrgNode.objects.get(code="la-pomona-unit-a")
    assert unit.path.startswith("/ca/rta-central/fresno/la-pomona/")


def test_a_bad_tree_file_names_every_error_and_loads_nothing(db: None, tmp_path: Path) -> None:
    tree_file = tmp_path / "tree.yaml"
    tree_file.write_text(
        "format: practicehub.org-tree/1\n"
        "nodes:\n"
        "  - {code: ca, name: California, kind: state}\n"
        "  - {code: x, name: X, kind: planet, parent: ca}\n"
        "  - {code: y, name: Y, kind: county, parent: nowhere, fips: '6019'}\n"
        "  - {code: ca, name: Again, kind: region, parent: ca}\n"
    )
    with pytest.raises(TreeFileError) as raised:
        load_tree(tree_file)
    errors = "\n".join(raised.value.errors)
    assert "nodes[1] (code 'x'): unknown kind 'planet'" in errors
    assert "nodes[2] (code 'y'): parent 'nowhere' is not defined" in errors
    assert "nodes[2] (code 'y'): fips '6019' must be five digits" in errors
    assert "nodes[3] (code 'ca'): duplicate code" in errors
    assert not OrgNode.objects.exists()


def test_the_command_reports_bad_yaml_with_its_line(db: None, tmp_path: Path) -> None:
    tree_file = tmp_path / "tree.yaml"
    tree_file.write_text("format: practicehub.org-tree/1\nnodes:\n  - {code: ca\n")
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("org", "load", str(tree_file))
    assert not OrgNode.objects.exists()
