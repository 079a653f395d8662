"""Every built-in pack passes the same checks.

The cases themselves (policies/*/cases/*.yaml) are collected as test items by
the project's pytest plugin (govmedia_rules.testing.pytest_plugin).
"""

from pathlib import Path

import pytest

from govmedia_rules import load_pack
from govmedia_rules.packs.cases import load_cases, rule_coverage

from .conftest import REGISTRY

PACK_IDS = sorted(REGISTRY.packs)
CASES = [(pack_id, case) for pack_id in PACK_IDS for case in load_cases(load_pack(pack_id, REGISTRY))]


def test_there_are_builtin_packs():
    assert "lianyungang" in PACK_IDS


@pytest.mark.parametrize("pack_id", PACK_IDS)
class TestEveryPack:
    def test_ships_its_source_readme_and_cases(self, pack_id):
        pack = load_pack(pack_id, REGISTRY)
        folder = Path(pack.path)
        assert pack.sources and (folder / "README.md").is_file() and (folder / "cases").is_dir()

    def test_every_rule_is_in_the_coverage_list(self, pack_id):
        pack = load_pack(pack_id, REGISTRY)
        covered = {r for item in pack.coverage for r in item.rules}
        assert {r.id for r in pack.rules} - covered == set()

    def test_every_rule_fires_in_a_case_and_stays_quiet_in_another(self, pack_id):
        pack = load_pack(pack_id, REGISTRY)
        coverage = rule_coverage(pack, [c for p, c in CASES if p == pack_id])
        assert coverage.never_fired == [] and coverage.never_quiet == [] and coverage.percent == 100

    def test_citations_name_the_pack_document(self, pack_id):
        pack = load_pack(pack_id, REGISTRY)
        documents = {s.document for s in pack.sources}
        assert all(r.citation.document in documents for r in pack.rules)
