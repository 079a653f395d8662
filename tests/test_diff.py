"""A rule change (Lianyungang weekly → fortnightly) seen through diff, on data and on generated histories."""

from datetime import date

import pytest

from govmedia_rules import Engine, load_pack
from govmedia_rules.cli import main
from govmedia_rules.findings.diff import compare, generated_diff

from .conftest import REGISTRY
from .test_cli import EXAMPLE


@pytest.fixture(scope="module")
def fortnightly(tmp_path_factory):
    import shutil

    folder = tmp_path_factory.mktemp("packs") / "lianyungang-fortnightly"
    shutil.copytree(load_pack("lianyungang", REGISTRY).path, folder)
    text = (folder / "pack.yaml").read_text(encoding="utf-8")
    start = text.index("  - id: weekly-update")
    cut = text.index("window: {weeks: 1}", start)
    (folder / "pack.yaml").write_text(text[:cut] + "window: {weeks: 2}" + text[cut + len("window: {weeks: 1}"):],
                                      encoding="utf-8")
    return folder


def test_diff_on_data_lists_the_subjects_that_change(fortnightly):
    old, new = load_pack("lianyungang", REGISTRY), load_pack(fortnightly, REGISTRY)
    from govmedia_rules.intake.files import read_inputs

    items = list(read_inputs([EXAMPLE], REGISTRY.loaders))
    result = compare(old, new, items, since=date(2019, 8, 1), as_of=date(2019, 12, 31), registry=REGISTRY)
    assert result.appeared == {}
    assert result.disappeared == {"weekly-update": ["account:edu-news", "account:gov-weibo"]}
    same = compare(old, old, items, since=date(2019, 8, 1), as_of=date(2019, 12, 31), registry=REGISTRY)
    assert not same.changed


def test_generated_diff_shrinks_to_an_example_that_shows_the_change(fortnightly):
    old, new = load_pack("lianyungang", REGISTRY), load_pack(fortnightly, REGISTRY)
    since, as_of = date(2019, 1, 1), date(2019, 12, 31)
    result = generated_diff(old, new, since=since, as_of=as_of, examples=25, seed=3, registry=REGISTRY)
    assert set(result.disappeared) == {"weekly-update"} and result.example
    flagged = [{(f.rule, f.subject.id) for f in Engine([p], registry=REGISTRY).evaluate(
        result.example, since=since, as_of=as_of).open_findings} for p in (old, new)]
    assert flagged[0] != flagged[1]
    again = generated_diff(old, new, since=since, as_of=as_of, examples=25, seed=3, registry=REGISTRY)
    assert again.example == result.example, "the same seed gives the same example"


def test_diff_command_exits_1_when_verdicts_change(fortnightly, capsys):
    args = ["diff", "lianyungang", str(fortnightly), "--data", str(EXAMPLE), "--since", "2019-08-01", "--as-of", "2019-12-31"]
    assert main(args, registry=REGISTRY) == 1
    assert "weekly-update" in capsys.readouterr().out
    assert main(args + ["--expect-none"], registry=REGISTRY) == 1
    assert main(["diff", "lianyungang", "lianyungang", "--data", str(EXAMPLE)], registry=REGISTRY) == 0
