"""Every built-in pack passes the same checks, and the case runner itself can fail.

The cases themselves (policies/*/cases/*.yaml) are collected as test items by
the project's pytest plugin (govmedia_rules.testing.pytest_plugin). The
runner is tested here against mutated packs and hand-written broken cases: a
runner that passes everything would pass those too.
"""

import json
import shutil
import textwrap
from pathlib import Path

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from govmedia_rules import PackError, load_pack
from govmedia_rules.cli import main
from govmedia_rules.packs.authoring import surviving_mutations, threshold_mutations
from govmedia_rules.packs.cases import load_case, load_cases, rule_coverage, run_case
from govmedia_rules.packs.coverage import requirements
from govmedia_rules.packs.readme import readme_path, with_table
from govmedia_rules.testing import mutated_packs

from .conftest import REGISTRY

PACK_IDS = sorted(REGISTRY.packs)
PACKS = {pack_id: load_pack(pack_id, REGISTRY) for pack_id in PACK_IDS}
CASES = {pack_id: load_cases(pack) for pack_id, pack in PACKS.items()}


def test_there_are_builtin_packs():
    assert "lianyungang" in PACK_IDS


@pytest.mark.parametrize("pack_id", PACK_IDS)
class TestEveryPack:
    def test_ships_its_source_readme_and_cases(self, pack_id):
        folder = Path(PACKS[pack_id].path)
        assert (
            PACKS[pack_id].sources
            and (folder / "README.md").is_file()
            and (folder / "cases").is_dir()
        )

    def test_every_rule_checks_a_requirement_of_its_document(self, pack_id):
        pack = PACKS[pack_id]
        covered = {r for item in requirements(pack) for r in item.rules}
        assert {r.id for r in pack.rules} - covered == set()

    def test_every_rule_fires_in_a_case_and_stays_quiet_on_a_subject_it_judged(self, pack_id):
        pack = PACKS[pack_id]
        coverage = rule_coverage(pack, [run_case(pack, c, REGISTRY) for c in CASES[pack_id]])
        assert coverage.never_fired == [] and coverage.never_quiet == [] and coverage.percent == 100

    def test_readme_rule_table_is_generated_from_the_pack_and_every_rule_says_how_it_reads(self, pack_id):
        pack = PACKS[pack_id]
        readme = readme_path(pack).read_text(encoding="utf-8")
        assert with_table(readme, pack) == readme, "regenerate: make docs"
        own = [r for r in pack.rules if r.origin.pack == pack_id]
        assert [r.id for r in own if not r.reading] == []
        readings = [r.reading for r in own]
        assert sorted({x for x in readings if readings.count(x) > 1}) == [], "each rule reads its own sentence"

    def test_is_written_in_the_one_pack_style(self, pack_id):
        """Block sequences indented under their key, citations as block mappings, one quote
        style: what the shipped packs look like, so a new pack has one model to copy."""
        text = (Path(PACKS[pack_id].path) / "pack.yaml").read_text(encoding="utf-8")
        problems = []

        def walk(node):
            if isinstance(node, yaml.MappingNode):
                for key, value in node.value:
                    if isinstance(value, yaml.SequenceNode) and not value.flow_style:
                        if value.start_mark.column <= key.start_mark.column:
                            problems.append((key.start_mark.line + 1, "sequence not indented"))
                    if key.value == "citation" and value.flow_style:
                        problems.append((key.start_mark.line + 1, "citation in flow style"))
                    if key.value in ("quote", "simplified", "reading") and value.style not in ("'", None):
                        problems.append((key.start_mark.line + 1, "quote style"))
                    walk(value)
            elif isinstance(node, yaml.SequenceNode):
                for item in node.value:
                    walk(item)

        walk(yaml.compose(text))
        assert problems == []

    def test_citations_name_the_pack_document(self, pack_id):
        pack = PACKS[pack_id]
        documents = {s.document for s in pack.sources}
        assert all(r.citation.document in documents for r in pack.rules)


CASE = """\
name: 一周未更新的账号被查出
since: 2019-09-02
as_of: 2019-09-29
records:
  - {type: unit, id: u1, name: 连云港市海州区人民政府, level: county, kind: government}
  - {type: account, id: silent, unit_id: u1, name: 海州发布, platform: weibo, opened_on: 2018-01-01}
  - {type: post, id: s1, account_id: silent, published_at: "2019-09-03T10:00:00"}
expect:
  - {rule: weekly-update, subject: {type: account, id: silent}}
"""


def write_case(tmp_path, text, pack_id="lianyungang"):
    folder = tmp_path / pack_id
    shutil.copytree(PACKS[pack_id].path, folder, ignore=shutil.ignore_patterns("cases"))
    (folder / "cases").mkdir()
    (folder / "cases" / "c.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def run(folder):
    pack = load_pack(folder, REGISTRY)
    [case] = load_cases(pack)
    return run_case(pack, case, REGISTRY)


def test_an_expectation_on_a_subject_not_in_the_case_or_a_rule_not_in_the_pack_fails_at_its_line(
    tmp_path,
):
    result = run(
        write_case(
            tmp_path,
            CASE + "expect_not:\n"
            "  - {rule: weekly-update, subject: {type: account, id: stedy}}\n"
            "  - {rule: weekly-updates, subject: {type: account, id: silent}}\n",
        )
    )
    assert not result.passed
    file = str(tmp_path / "lianyungang" / "cases" / "c.yaml")
    assert result.invalid == [
        f"{file}:12:12: expect_not[1].rule: 规则包 lianyungang 没有规则 'weekly-updates'",
        f"{file}:11:36: expect_not[0].subject: 用例的记录中没有 account:stedy",
    ]
    assert "weekly-update" not in result.quiet, "a vacuous expect_not shows nothing"


def test_expect_not_on_a_subject_the_rule_cannot_judge_fails_and_shows_nothing(tmp_path):
    text = (
        CASE.replace(
            "expect:",
            '  - {type: post, id: s2, account_id: silent, published_at: "2019-09-04T10:00:00"}\n'
            "expect:",
        )
        + "expect_not:\n  - {rule: no-opinions-or-ads, subject: {type: post, id: s2}}\n"
    )
    result = run(write_case(tmp_path, text))
    [problem] = result.invalid
    assert (
        ":12:5: expect_not[0]: 规则 no-opinions-or-ads 无法判定 post:s2（缺少信息的内容标记）"
        in problem
    )
    assert "no-opinions-or-ads" not in result.quiet
    fixed = run(
        write_case(
            tmp_path / "fixed",
            text.replace('10:00:00"}\nexpect:', '10:00:00", flags: []}\nexpect:'),
        )
    )
    assert fixed.passed and "no-opinions-or-ads" in fixed.quiet


def test_a_failing_case_shows_the_findings_produced_and_a_one_line_diff(tmp_path, capsys):
    folder = write_case(
        tmp_path,
        CASE.replace("rule: weekly-update,", "rule: one-account-per-platform,")
        + "expect_not:\n  - {rule: weekly-update, subject: {type: account, id: silent}}\n",
    )
    assert main(["test", str(folder)], registry=REGISTRY) == 1
    out = capsys.readouterr().out
    assert "应出现而未出现：one-account-per-platform @ account:silent" in out
    assert "不应出现却出现：weekly-update @ account:silent" in out
    assert "实际对 account:silent 查出 " in out
    assert (
        "weekly-update：账号「海州发布」（微博）" in out
        and "（三（三）：政务新媒体每周更新内容不少于1次" in out
    )
    assert "差异 account:silent：-one-account-per-platform +weekly-update" in out


def test_a_rejected_case_record_is_reported_at_its_own_line(tmp_path):
    text = CASE.replace(
        "opened_on: 2018-01-01}",
        "opened_on: 2018-01-01}\n  - type: post\n    id: s9\n"
        "    account_id: silent\n    published_at: yesterday",
    )
    result = run(write_case(tmp_path, text))
    [rejected] = result.rejected
    assert rejected.startswith(f"{tmp_path / 'lianyungang' / 'cases' / 'c.yaml'}:10: published_at")


@pytest.mark.parametrize(
    "typo, where",
    [
        ("expekt:", (8, 1, "expekt")),
        ("  - {rule: weekly-update, subjekt:", (9, 27, "expect[0].subjekt")),
        ("as_of: 2019-13-29", (3, 8, "as_of")),
    ],
)
def test_case_errors_are_at_the_key_or_value_written(tmp_path, typo, where):
    line = {"expekt:": "expect:", "as_of: 2019-13-29": "as_of: 2019-09-29"}.get(
        typo, "  - {rule: weekly-update, subject:"
    )
    folder = write_case(tmp_path, CASE.replace(line, typo))
    with pytest.raises(PackError) as info:
        load_case(folder / "cases" / "c.yaml")
    assert where in [(loc.line, loc.column, loc.path) for loc, _ in info.value.problems]


def test_check_reads_a_case_file_with_its_window(capsys):
    case = Path(PACKS["lianyungang"].path) / "cases" / "weekly-update.yaml"
    assert (
        main(["check", "--pack", "lianyungang", "--format", "json", str(case)], registry=REGISTRY)
        == 1
    )
    report = json.loads(capsys.readouterr().out)
    expected = load_case(case)
    assert (report["since"], report["as_of"]) == (str(expected.since), str(expected.as_of))
    assert report["input"]["read"] == len(expected.records) and report["findings"]


def test_the_case_schema_is_valid_and_every_shipped_case_meets_it(capsys):
    assert main(["schema", "case"], registry=REGISTRY) == 0
    schema = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for cases in CASES.values():
        for case in cases:
            assert not list(validator.iter_errors(case._doc.data)), case.file
    assert "record.Post" in schema["$defs"], "records are completed in the editor too"


def test_a_threshold_mutation_turns_a_case_red():
    [mutation] = [
        m
        for m in threshold_mutations(PACKS["lianyungang"], REGISTRY)
        if (m.rule, m.param, m.new) == ("weekly-update", "min_posts", 2)
    ]
    assert any(not run_case(mutation.pack, case, REGISTRY).passed for case in CASES["lianyungang"])


@pytest.fixture(scope="module")
def national_mutation_report():
    """What ``test national --mutate`` says, once for the module."""
    import io
    from contextlib import redirect_stdout

    out = io.StringIO()
    with redirect_stdout(out):
        main(["test", "national", "--mutate"], registry=REGISTRY)
    return out.getvalue()


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(mutated=mutated_packs(PACKS["national"]))
def test_a_mutation_turns_a_case_red_or_coverage_names_it(mutated, national_mutation_report):
    [(old, new)] = [(a, b) for a, b in zip(PACKS["national"].rules, mutated.rules) if a != b]
    if all(run_case(mutated, case, REGISTRY).passed for case in CASES["national"]):
        assert f"{new.id} 的 params." in national_mutation_report, (old.params, new.params)


def test_a_scoring_number_no_case_looks_at_is_reported(tmp_path, capsys):
    """A case that never expects a score lets every number of the scheme move: each is named by
    its path; a cap its rules cannot exceed (运维保障: two account checks of 10) is not."""
    folder = write_case(
        tmp_path,
        """\
        name: 严重表述错误被查出
        since: 2019-10-01
        as_of: 2019-12-31
        records:
          - {type: unit, id: dh, name: 肇庆市鼎湖区人民政府, level: county, kind: government}
          - {type: account, id: a, unit_id: dh, name: 鼎湖发布, platform: weibo}
          - {type: post, id: p, account_id: a, published_at: "2019-12-20T10:00:00",
             flags: [serious_error]}
        expect:
          - {rule: veto-serious-errors, subject: {type: post, id: p}}
        """,
        pack_id="zhaoqing",
    )
    assert main(["test", str(folder), "--mutate"], registry=REGISTRY) == 1
    out = capsys.readouterr().out
    assert "未被任何用例发现" in out
    for change in (
        "scoring.pass_mark 由 60 改为 59.5",
        "scoring.indicators[信息内容安全].points 由 30 改为 30.5",
        "scoring.bonus.indicators[创新应用与优秀案例].per_item 由 5 改为 4.5",
        "scoring.veto_score.county 由 59 改为 59.5",
    ):
        assert change in out
    assert "scoring.indicators[运维保障].points 由 20 改为 20.5" not in out
    assert "scoring.bonus.cap 由 25 改为 25.5" not in out


def test_test_mutate_names_the_mutations_no_case_catches(tmp_path, capsys):
    folder = write_case(tmp_path, CASE)
    assert main(["test", str(folder), "--mutate"], registry=REGISTRY) == 1
    out = capsys.readouterr().out
    assert "未被任何用例发现" in out and "weekly-update 的 params.window.weeks 由 1 改为 2" in out


# Mutations a case may let through: (pack, the change as `--mutate` reports it) -> why. List one
# only when the rule's or the scheme's semantics make the moved value equivalent (no record could
# tell the two apart), and say so in the reason. Empty: every threshold and every scoring number
# of every shipped pack is pinned by a case at its edge (policies/*/cases/edges-*.yaml).
ALLOWED_SURVIVORS: dict[tuple[str, str], str] = {}


@pytest.mark.parametrize("pack_id", PACK_IDS)
def test_every_threshold_of_every_shipped_pack_is_pinned_by_a_case(pack_id):
    """`test policies/*/ --mutate` finds no threshold a case does not notice moving by one, either
    way (a gap of exactly the allowed length stays quiet and one day, week or month more fires),
    and no scoring number moving by a step (a score of exactly the pass mark passes, half a point
    less fails; a cap reached exactly)."""
    survivors = {
        (pack_id, str(m)) for m in surviving_mutations(PACKS[pack_id], CASES[pack_id], REGISTRY)
    }
    assert survivors - set(ALLOWED_SURVIVORS) == set()
    stale = [key for key in ALLOWED_SURVIVORS if key[0] == pack_id and key not in survivors]
    assert stale == [], "a case now catches these, or they are gone: drop them from the list"
