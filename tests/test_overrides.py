"""An override never silently drops part of the inherited obligation it replaces."""

import pytest

from govmedia_rules import PackError, load_pack

from .conftest import REGISTRY
from .packfiles import HEADER, write_pack

FILING = """\
  - id: filing
    kind: filing_deadline
    title: 备案
    params:
      actions: {actions}
      file_within: {{working_days: {days}}}
    applies_to: {applies_to}
    citation: {{document: 测试文件, article: 第一条, quote: 开设、变更、关停、注销应备案。}}
"""


def layered(tmp_path, child_rule, base_rule=FILING.format(actions="[open, change, close, cancel]", days=2,
                                                           applies_to="{}")):
    for name, text in (("base", HEADER.format(id="base") + "rules:\n" + base_rule),
                       ("child", HEADER.format(id="child") + "extends: ../base\nrules:\n" + child_rule)):
        write_pack(tmp_path, text, name)
    return tmp_path / "child"


def problems(folder):
    with pytest.raises(PackError) as info:
        load_pack(folder, REGISTRY)
    return [(loc.line, loc.path, msg) for loc, msg in info.value.problems]


@pytest.mark.parametrize(("child", "where", "said"), [
    (FILING.format(actions="[open, close, cancel]", days=2, applies_to="{}"), "rules[0].params.actions", "少了变更"),
    (FILING.format(actions="[open, change, close, cancel]", days=5, applies_to="{}"), "rules[0].params.file_within",
     "时限由2个工作日改为5个工作日"),
    (FILING.format(actions="[open, change, close, cancel]", days=2, applies_to="{platforms: [weibo]}"),
     "rules[0].applies_to.platforms", "不再适用于"),
    (FILING.format(actions="[open, change, close, cancel]", days=2, applies_to="{exclude_subtypes: [service]}"),
     "rules[0].applies_to.exclude_subtypes", "另外排除了服务号"),
])
def test_an_override_that_asks_less_is_an_error_at_what_it_drops(tmp_path, child, where, said):
    [(line, path, message)] = problems(layered(tmp_path, child))
    assert path == where and said in message and "narrows" in message and line > 6


def test_an_override_that_asks_as_much_or_more_loads(tmp_path):
    stricter = FILING.format(actions="[open, change, close, cancel]", days=1, applies_to="{}")
    assert load_pack(layered(tmp_path, stricter), REGISTRY).rule("filing").params["file_within"] == {"working_days": 1}


def test_a_filing_deadline_keeps_the_requirement_to_file(tmp_path):
    """A city's 2-working-day deadline replaces the national 应备案 without dropping it."""
    national = "  - id: filing\n    kind: filing_deadline\n    title: 备案\n    params: {require_filing: true}\n" \
               "    citation: {document: 测试文件, article: 第一条, quote: 开设、变更、关停、注销应备案。}\n"
    child = FILING.format(actions="[open, change, close, cancel]", days=3, applies_to="{}")
    assert load_pack(layered(tmp_path, child, national), REGISTRY).rule("filing").overrides is not None
    without_change = FILING.format(actions="[open, close, cancel]", days=3, applies_to="{}")
    [(_, path, message)] = problems(layered(tmp_path, without_change, national))
    assert path == "rules[0].params.actions" and "少了变更" in message


def test_narrows_says_why_and_must_be_true(tmp_path):
    fewer = FILING.format(actions="[open]", days=2, applies_to="{}")
    explained = fewer.replace("    citation:", "    narrows: 本文件只规定开设备案\n    citation:")
    assert load_pack(layered(tmp_path, explained), REGISTRY).rule("filing").narrows == "本文件只规定开设备案"
    same = FILING.format(actions="[open, change, close, cancel]", days=2, applies_to="{}")
    stale = same.replace("    citation:", "    narrows: 本文件只规定开设备案\n    citation:")
    [(_, path, message)] = problems(layered(tmp_path, stale))
    assert path == "rules[0].narrows" and "没有收窄" in message


def test_every_shipped_override_asks_as_much_or_says_why():
    for pack_id in ("lianyungang", "ankang", "changde", "baicheng", "junshan", "zhaoqing"):
        pack = load_pack(pack_id, REGISTRY)
        narrowed = {r.id for r in pack.rules if r.narrows}
        assert all(r.overrides is not None for r in pack.rules if r.id in narrowed), pack_id
    assert {r.id for r in load_pack("ankang", REGISTRY).rules if r.narrows} == {
        "government-must-have-account", "no-secrets-leaked"}
