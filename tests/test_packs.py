import functools
import shutil
import textwrap
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from govmedia_rules import PackError, PackNotFoundError, load_pack
from govmedia_rules.kinds import BUILTIN_KINDS
from govmedia_rules.packs.schema import pack_schema
from govmedia_rules.packs.yamlsource import parse_yaml

from .conftest import REGISTRY
from .packfiles import HEADER, write_pack

RULE = """\
  - id: weekly
    kind: update_frequency
    title: 每周更新
    params:
      min_posts: {min_posts}
    citation: {{document: 测试文件, article: 第一条, quote: 每周更新不少于1次。}}
"""




def problems(folder):
    with pytest.raises(PackError) as info:
        load_pack(folder, REGISTRY)
    return [(loc.line, loc.column, loc.path, msg) for loc, msg in info.value.problems]


def test_builtin_pack_loads_with_origins_and_digest():
    pack = load_pack("lianyungang", REGISTRY)
    assert pack.id == "lianyungang" and len(pack.digest) == 64
    assert all(r.origin and r.origin.file.endswith("pack.yaml") and r.origin.line > 1 for r in pack.rules)


def test_schema_is_valid_and_built_from_every_kind():
    schema = pack_schema(BUILTIN_KINDS)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$defs"]["Rule"]["properties"]["kind"]["enum"] == sorted(k.name for k in BUILTIN_KINDS)


def test_wrong_param_names_file_line_column_and_key_path(tmp_path):
    folder = write_pack(tmp_path, HEADER.format(id="p") + "rules:\n" + RULE.format(min_posts=-1))
    [(line, col, path, msg)] = problems(folder)
    assert (line, path) == (11, "rules[0].params.min_posts")
    assert col == 18 and "-1 小于最小值 1" in msg, "a wrong value is reported at the value"
    with pytest.raises(PackError) as info:
        load_pack(folder, REGISTRY)
    assert str(info.value).startswith(f"{folder / 'pack.yaml'}:11:18: rules[0].params.min_posts: ")


def test_unknown_kind_suggests_the_right_one(tmp_path):
    text = HEADER.format(id="p") + "rules:\n" + RULE.format(min_posts=1).replace("update_frequency", "update_frequncy")
    [(line, _, path, msg)] = problems(write_pack(tmp_path, text))
    assert path == "rules[0].kind" and line == 8 and "update_frequency" in msg


def test_unknown_param_key_suggests_the_right_one(tmp_path):
    text = HEADER.format(id="p") + "rules:\n" + RULE.format(min_posts=1).replace("min_posts:", "min_post:")
    [(line, col, path, msg)] = problems(write_pack(tmp_path, text))
    assert (line, col, path) == (11, 7, "rules[0].params.min_post") and "min_posts" in msg


def test_duplicate_key_is_an_error_not_silently_dropped(tmp_path):
    text = HEADER.format(id="p") + "version: 2.0.0\n"
    [(line, _, path, msg)] = problems(write_pack(tmp_path, text))
    assert line == 6 and path == "version" and "重复" in msg and "第 5 行" in msg


def test_malformed_yaml_names_the_line(tmp_path):
    [(line, _, _, msg)] = problems(write_pack(tmp_path, HEADER.format(id="p") + "rules: [\n  - a\n"))
    assert line is not None and "YAML 语法错误" in msg


def test_every_schema_error_is_reported_at_once(tmp_path):
    text = "id: p\ntitle: t\nversion: 1\nissued_on: 2019-13-01\n"
    found = problems(write_pack(tmp_path, text))
    paths = {p for _, _, p, _ in found}
    assert {"", "version", "issued_on"} <= paths


def test_duplicate_rule_id_and_dangling_references(tmp_path):
    text = HEADER.format(id="p") + "rules:\n" + RULE.format(min_posts=1) + RULE.format(min_posts=2) + textwrap.dedent("""\
        coverage:
          - {article: 第一条, quote: 每周更新不少于1次。, rules: [weekly, missing]}
          - {article: 第二条, quote: 加强培训。}
        """)
    found = problems(write_pack(tmp_path, text))
    assert any(p == "rules[1].id" and "重复" in m for _, _, p, m in found)


def test_coverage_must_name_rules_or_say_why_not(tmp_path):
    text = HEADER.format(id="p") + "rules:\n" + RULE.format(min_posts=1) + textwrap.dedent("""\
        coverage:
          - {article: 第九条, quote: 每周更新内容。, rules: [weekly, missing]}
          - {article: 第二条, quote: 加强培训。}
        scoring: {veto_rules: [nope]}
        """)
    found = problems(write_pack(tmp_path, text))
    assert {p for _, _, p, _ in found} == {"coverage[0].rules[1]", "coverage[1]", "scoring.veto_rules[0]"}


def test_a_coverage_entry_repeating_the_sentence_its_rule_cites_is_an_error(tmp_path):
    text = HEADER.format(id="p") + "rules:\n" + RULE.format(min_posts=1) + textwrap.dedent("""\
        coverage:
          - {article: 第一条, quote: 每周更新不少于1次。, rules: [weekly]}
        """)
    [(_, _, path, msg)] = problems(write_pack(tmp_path, text))
    assert path == "coverage[0].rules[0]" and "已是这句原文" in msg


def test_quotes_must_appear_verbatim_in_the_shipped_source(tmp_path):
    text = HEADER.format(id="p") + "sources: [{document: 测试文件, file: source.txt}]\nrules:\n" + RULE.format(min_posts=1)
    folder = write_pack(tmp_path, text)
    (folder / "source.txt").write_text("第一条 每周更新不少于1次。", encoding="utf-8")
    assert load_pack(folder, REGISTRY).rules[0].id == "weekly"
    (folder / "source.txt").write_text("第一条 每周更新\n\n不少于1次。", encoding="utf-8")
    assert load_pack(folder, REGISTRY), "a line break inside the sentence is layout, not wording"
    (folder / "source.txt").write_text("第一条 每周更新不少于2次。", encoding="utf-8")
    [(_, _, path, msg), (_, _, _, uncovered)] = problems(folder)
    assert path == "rules[0].citation.quote" and "逐字" in msg
    assert "未列入覆盖清单：第一条每周更新不少于2次。" in uncovered


def test_pinyin_insertions_can_be_stripped_from_a_source(tmp_path):
    text = (HEADER.format(id="p") + "sources: [{document: 测试文件, file: source.txt, strip_pinyin: true}]\nrules:\n"
            + RULE.format(min_posts=1))
    folder = write_pack(tmp_path, text)
    (folder / "source.txt").write_text("每周更(gēng)新不少於(yú)1次。".replace("於", "于"), encoding="utf-8")
    assert load_pack(folder, REGISTRY)


def test_extends_overrides_rules_by_id_and_keeps_origins(tmp_path):
    base = write_pack(tmp_path, HEADER.format(id="base") + "rules:\n" + RULE.format(min_posts=1)
                      + RULE.format(min_posts=1).replace("id: weekly", "id: other"), "base")
    child = write_pack(tmp_path, HEADER.format(id="child") + f"extends: ../{base.name}\nrules:\n" + RULE.format(min_posts=3)
                       + RULE.format(min_posts=1).replace("id: weekly", "id: extra"), "child")
    pack = load_pack(child, REGISTRY)
    assert [r.id for r in pack.rules] == ["weekly", "other", "extra"]
    assert pack.rule("weekly").params == {"min_posts": 3}
    assert pack.rule("weekly").origin.pack == "child"
    assert pack.rule("other").origin.pack == "base"
    assert pack.lineage == ["base", "child"]


def test_extends_missing_pack_names_the_key(tmp_path):
    folder = write_pack(tmp_path, HEADER.format(id="p") + "extends: nowhere\n")
    [(line, _, path, msg)] = problems(folder)
    assert (line, path) == (6, "extends") and "nowhere" in msg


def test_extends_cycle_is_an_error_at_every_extends_of_the_cycle(tmp_path):
    a = write_pack(tmp_path, HEADER.format(id="a") + "extends: ../b\n", "a")
    write_pack(tmp_path, HEADER.format(id="b") + "# b\nextends: ../a\n", "b")
    with pytest.raises(PackError) as info:
        load_pack(a, REGISTRY)
    found = [(Path(loc.file).parent.name, loc.line, loc.column, msg) for loc, msg in info.value.problems]
    assert found == [("a", 6, 10, "extends 形成循环：a → b → a"), ("b", 7, 10, "extends 形成循环：a → b → a")]


def test_unknown_keys_are_reported_each_at_its_own_key(tmp_path):
    text = HEADER.format(id="p") + "rules:\n" + RULE.format(min_posts=1) + "\n" * 40 + "colour: red\nsize: 1\n"
    found = problems(write_pack(tmp_path, text))
    assert [(line, col, path) for line, col, path, _ in found] == [(53, 1, "colour"), (54, 1, "size")]
    text = HEADER.format(id="p") + "rules:\n" + RULE.format(min_posts=1).replace("    title:", "    titel:")
    found = problems(write_pack(tmp_path, text, "q"))
    assert (9, 5, "rules[0].titel") in [(line, col, path) for line, col, path, _ in found]


def test_a_wrong_value_is_reported_at_the_value(tmp_path):
    text = HEADER.format(id="p") + "rules:\n" + RULE.format(min_posts=1).replace("    title: 每周更新", "    severity: fatal\n    title: 每周更新")
    [(line, col, path, msg)] = problems(write_pack(tmp_path, text))
    assert (line, col, path) == (9, 15, "rules[0].severity") and "fatal" in msg


def test_calendar_clashes_across_schedules_are_reported_at_both_dates(tmp_path):
    text = HEADER.format(id="p") + textwrap.dedent("""\
        calendar:
          schedules:
            - year: 2019
              reference: a
              holidays: [2020-01-01]
            - year: 2020
              reference: b
              workdays: [2020-01-02, 2020-01-01]
            - {year: 2020, reference: c}
        """)
    found = [(line, col, msg) for line, col, _, msg in problems(write_pack(tmp_path, text))]
    assert (10, 18, "2020-01-01 既是假日又是调休工作日") in found
    assert (13, 30, "2020-01-01 既是假日又是调休工作日") in found
    assert {(line, msg) for line, _, msg in found if "放假安排" in msg} == {
        (11, "2020 年的放假安排写了2次"), (14, "2020 年的放假安排写了2次")}


def test_unknown_pack_reference():
    with pytest.raises(PackNotFoundError) as info:
        load_pack("atlantis", REGISTRY)
    assert "lianyungang" in str(info.value)


def test_alias_bomb_fails_fast():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8))
    with pytest.raises(PackError) as info:
        parse_yaml(bomb, "bomb.yaml")
    assert "节点过多" in str(info.value)


def test_dates_stay_strings_until_the_model():
    assert parse_yaml("d: 2019-07-16\n", "x").data == {"d": "2019-07-16"}


def test_every_kind_example_is_valid_and_documented():
    import yaml

    for kind in BUILTIN_KINDS:
        example = yaml.safe_load(kind.example)
        kind.from_params(example.get("params") or {})
        assert kind.__doc__ and kind.title and kind.name


def test_yaml_1_2_booleans_only():
    assert parse_yaml("on: 2019-01-01\nyes: no\nflag: true\n", "x").data == {"on": "2019-01-01", "yes": "no", "flag": True}


def test_drop_rules_removes_inherited_rules_and_must_name_them(tmp_path):
    base = write_pack(tmp_path, HEADER.format(id="base") + "rules:\n" + RULE.format(min_posts=1)
                      + RULE.format(min_posts=1).replace("id: weekly", "id: other"), "base")
    child = write_pack(tmp_path, HEADER.format(id="child") + f"extends: ../{base.name}\n"
                       + "drop_rules: [{rule: other, reason: 本市另行规定}]\n", "child")
    pack = load_pack(child, REGISTRY)
    assert [r.id for r in pack.rules] == ["weekly"] and [o.rule for o in pack.dropped] == ["other"]
    wrong = write_pack(tmp_path, HEADER.format(id="wrong") + f"extends: ../{base.name}\n"
                       + "drop_rules: [{rule: nope, reason: x}]\n", "wrong")
    [(line, _, path, msg)] = problems(wrong)
    assert path == "drop_rules[0].rule" and "nope" in msg
    orphan = write_pack(tmp_path, HEADER.format(id="orphan") + "drop_rules: [{rule: x, reason: y}]\n", "orphan")
    assert "extends" in problems(orphan)[0][3]


def test_every_city_pack_extends_the_national_baseline():
    for city in ("lianyungang", "ankang", "changde", "baicheng", "junshan"):
        pack = load_pack(city, REGISTRY)
        assert pack.lineage == ["national", city]
        assert any(r.overrides and r.overrides.pack == "national" for r in pack.rules), city
        assert all(r.origin.file.endswith("/pack.yaml") and not r.origin.file.startswith("/") for r in pack.rules)


def test_a_control_character_is_a_located_pack_error():
    with pytest.raises(PackError) as info:
        parse_yaml("id: p\ntitle: a\x0cb\n", "p.yaml")
    [(loc, msg)] = info.value.problems
    assert (loc.line, loc.column) == (2, 9) and "不允许的字符" in msg


def test_a_child_inherits_effective_dates_and_scope_it_does_not_set(tmp_path):
    base = write_pack(tmp_path, HEADER.format(id="base") + "effective: {from: 2019-07-16}\napplies_to: {platforms: [weibo]}\n"
                      + "rules:\n" + RULE.format(min_posts=1), "base")
    child = load_pack(write_pack(tmp_path, HEADER.format(id="child") + f"extends: ../{base.name}\n", "child"), REGISTRY)
    assert str(child.effective.from_) == "2019-07-16" and child.applies_to.platforms == ["weibo"]
    own = load_pack(write_pack(tmp_path, HEADER.format(id="own") + f"extends: ../{base.name}\neffective: {{from: 2020-01-01}}\n",
                               "own"), REGISTRY)
    # the layered pack spans both documents; each rule keeps the dates of the pack that defined it
    assert str(own.effective.from_) == "2019-07-16" and own.applies_to.platforms == ["weibo"]
    assert {str(r.effective.from_) for r in own.rules} == {"2019-07-16"}


@pytest.mark.parametrize("file", ["/etc/hostname", "../outside.txt", "sub/../../outside.txt"])
def test_a_source_file_outside_the_pack_folder_is_an_error_at_its_line(tmp_path, file):
    (tmp_path / "outside.txt").write_text("第一条 每周更新不少于1次。", encoding="utf-8")
    text = HEADER.format(id="p") + f"sources: [{{document: 测试文件, file: '{file}'}}]\nrules:\n" + RULE.format(min_posts=1)
    [(line, _, path, msg)] = problems(write_pack(tmp_path, text))
    assert (line, path) == (6, "sources[0].file") and "规则包文件夹内" in msg


def test_a_source_symlink_leaving_the_pack_folder_is_an_error(tmp_path):
    (tmp_path / "outside.txt").write_text("第一条 每周更新不少于1次。", encoding="utf-8")
    text = HEADER.format(id="p") + "sources: [{document: 测试文件, file: source.txt}]\nrules:\n" + RULE.format(min_posts=1)
    folder = write_pack(tmp_path, text)
    (folder / "source.txt").symlink_to(tmp_path / "outside.txt")
    [(_, _, path, msg)] = problems(folder)
    assert path == "sources[0].file" and "规则包文件夹内" in msg


def test_extends_is_a_pack_id_or_a_relative_folder_never_absolute(tmp_path, monkeypatch):
    base = write_pack(tmp_path, HEADER.format(id="base") + "rules:\n" + RULE.format(min_posts=1), "base")
    [(line, _, path, msg)] = problems(write_pack(tmp_path, HEADER.format(id="c") + f"extends: {base}\n", "c"))
    assert (line, path) == (6, "extends") and "绝对路径" in msg
    monkeypatch.chdir(tmp_path)  # a relative folder is the pack's own neighbour, never the working folder's
    [(_, _, path, msg)] = problems(write_pack(tmp_path / "deep", HEADER.format(id="d") + "extends: base\n", "d"))
    assert path == "extends" and "找不到" in msg


def test_a_huge_pack_file_is_refused_before_it_is_read(tmp_path, monkeypatch):
    folder = write_pack(tmp_path, HEADER.format(id="p"))
    with (folder / "pack.yaml").open("ab") as out:
        out.truncate(3 * 1024 * 1024)
    monkeypatch.setattr("pathlib.Path.read_bytes", lambda self: pytest.fail("read whole"))
    [(_, _, _, msg)] = problems(folder)
    assert "文件过大" in msg


@pytest.mark.parametrize("ref, suggested", [
    ("lianyungnag", "lianyungang"), ("连云港", "lianyungang"), ("安康", "ankang"), ("常德", "changde"),
    ("白城", "baicheng"), ("君山", "junshan"), ("全国", "national"), ("国家", "national"), ("连云港市", "lianyungang"),
])
def test_an_unknown_pack_suggests_the_pack_meant(ref, suggested):
    with pytest.raises(PackNotFoundError) as info:
        load_pack(ref, REGISTRY)
    assert info.value.suggestions == [suggested] and f"是否要找 {suggested}" in str(info.value)


def _scalars(text):
    """Every scalar written in a YAML text, as (is_key, node): the places an author can mistype."""
    import yaml

    out, todo = [], [yaml.compose(text)]
    while todo:
        node = todo.pop()
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                out.append((True, key))
                todo.append(value)
        elif isinstance(node, yaml.SequenceNode):
            todo.extend(node.value)
        else:
            out.append((False, node))
    return sorted(out, key=lambda pair: pair[1].start_mark.index)


SHIPPED = {pack_id: (source.path, (Path(source.path) / "pack.yaml").read_text(encoding="utf-8"))
           for pack_id, source in sorted(REGISTRY.packs.items())}
SCALARS = {pack_id: _scalars(text) for pack_id, (_, text) in SHIPPED.items()}


@functools.cache
def _valid(pack_id):
    """Whether the shipped pack loads as it is (a pack being edited may not: its test says so)."""
    try:
        return bool(load_pack(pack_id, REGISTRY))
    except PackError:
        return False


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_mistyped_key_or_value_is_reported_where_it_is_written(tmp_path_factory, data):
    """Mutate one key (misspelt) or one value (a mapping where a scalar was) of a shipped pack:
    the error names the line and column of the mutated text."""
    pack_id = data.draw(st.sampled_from(sorted(SHIPPED)))
    assume(_valid(pack_id))
    path, text = SHIPPED[pack_id]
    is_key, node = data.draw(st.sampled_from(SCALARS[pack_id]))
    end = node.start_mark.index + len(text[node.start_mark.index:node.end_mark.index].rstrip())
    written = text[node.start_mark.index:end]  # a block scalar's span ends on the next line
    mutated = f"{node.value}zq" if is_key else "{zq: 1}"
    folder = tmp_path_factory.mktemp("m") / pack_id
    shutil.copytree(path, folder, ignore=shutil.ignore_patterns("cases"))
    changed = text[:node.start_mark.index] + mutated + text[end:]
    (folder / "pack.yaml").write_text(changed, encoding="utf-8")
    try:
        load_pack(folder, REGISTRY)
    except PackError as exc:
        places = [(loc.line, loc.column) for loc, _ in exc.problems]
    else:
        assert not is_key, f"{written!r} → {mutated!r} was accepted"
        return  # a value of any shape is allowed there (a condition's equals)
    where = (node.start_mark.line + 1, node.start_mark.column + 1)
    assert where in places, f"{written!r} → {mutated!r} at {where}, reported at {places}"
    assert mutated in changed.splitlines()[where[0] - 1]


def test_a_requirement_sentence_neither_covered_nor_excluded_fails_at_its_source_line(tmp_path):
    text = (HEADER.format(id="p") + "document_number: 测试文件\nsources: [{document: 测试文件, file: source.txt}]\n"
            "rules:\n" + RULE.format(min_posts=1))
    folder = write_pack(tmp_path, text)
    (folder / "source.txt").write_text("测试文件\n第一条 每周更新不少于1次。\n第二条 各单位应加强\n培训。鼓励交流。\n",
                                       encoding="utf-8")
    with pytest.raises(PackError) as info:
        load_pack(folder, REGISTRY)
    [(loc, msg)] = info.value.problems
    assert (loc.file, loc.line) == (str(folder / "source.txt"), 3) and "各单位应加强培训。" in msg
    excluded = text + "coverage:\n  - {article: 第二条, quote: 各单位应加强培训。, not_checkable: 培训没有可提交的记录}\n"
    assert load_pack(write_pack(tmp_path, excluded), REGISTRY), "a sentence without 应/须/不得 needs no entry"


def test_an_attachment_table_is_a_requirement_item():
    from govmedia_rules.packs.sources import source_items

    text = "索引号 | 1 | 文号 | 无 |\n通知正文。\n附件1\n备案登记表\n账号名称\t\n主办单位\t\n"
    [table] = [item for item in source_items(text) if item.table]
    assert (table.line, table.text) == (3, "附件1备案登记表账号名称主办单位") and table.is_requirement


def test_a_quote_differing_only_in_punctuation_width_is_reported_as_such(tmp_path):
    text = (HEADER.format(id="p") + "sources: [{document: 测试文件, file: source.txt}]\nrules:\n"
            + RULE.format(min_posts=1).replace("每周更新不少于1次。", "'每周更新(服务号除外)不少于1次。'"))
    folder = write_pack(tmp_path, text)
    (folder / "source.txt").write_text("第一条 每周更新（服务号除外）不少于1次。", encoding="utf-8")
    [(_, _, path, msg)] = problems(folder)
    assert path == "rules[0].citation.quote" and "全角、半角标点" in msg and "（服务号除外）" in msg
    assert "逐字" not in msg


def test_deleting_a_shipped_coverage_entry_fails_validation_at_the_sentence(tmp_path):
    folder = tmp_path / "lianyungang"
    shutil.copytree(SHIPPED["lianyungang"][0], folder, ignore=shutil.ignore_patterns("cases"))
    text = (folder / "pack.yaml").read_text(encoding="utf-8")
    entry = ("  - article: 二\n    quote: '行业主管部门要加强对本行业承担公共服务职能的企事业单位新媒体工作的指导和监督。'\n"
             "    not_checkable: 行业主管部门的指导监督职责，无对应记录\n")
    (folder / "pack.yaml").write_text(text.replace(entry, ""), encoding="utf-8")
    with pytest.raises(PackError) as info:
        load_pack(folder, REGISTRY)
    [(loc, msg)] = info.value.problems
    assert loc.file.endswith("source.txt") and loc.line == 9 and "行业主管部门要加强" in msg


def _base_and_child(tmp_path, child_body):
    base = write_pack(tmp_path, HEADER.format(id="base") + "rules:\n" + RULE.format(min_posts=1), "base")
    child = write_pack(tmp_path, HEADER.format(id="child") + "document_number: 市文件\n"
                       "sources: [{document: 市文件, file: source.txt}]\n"
                       f"extends: ../{base.name}\n" + child_body, "child")
    (child / "source.txt").write_text("第九条 各单位每周须更新。\n", encoding="utf-8")
    return child


def test_recite_keeps_the_inherited_rule_and_cites_the_city_sentence(tmp_path):
    child = _base_and_child(tmp_path, "recite:\n  - rule: weekly\n    article: 第九条\n"
                                      "    quote: 各单位每周须更新。\n    reading: 每周至少一条。\n")
    pack = load_pack(child, REGISTRY)
    [rule] = pack.rules
    assert (rule.kind, rule.params, rule.title) == ("update_frequency", {"min_posts": 1}, "每周更新")
    assert (rule.citation.document, rule.citation.article) == ("市文件", "第九条")
    assert rule.citation.quote == "各单位每周须更新。" and rule.reading == "每周至少一条。"
    assert (rule.origin.pack, rule.origin.line, rule.overrides.pack) == ("child", 10, "base")


CITY_RULE = RULE.format(min_posts=2).replace(
    "document: 测试文件, article: 第一条, quote: 每周更新不少于1次。", "article: 第九条, quote: 各单位每周须更新。")


@pytest.mark.parametrize("body, words", [
    ("recite:\n  - {rule: nothing, article: 第九条, quote: 各单位每周须更新。}\n", "不是所继承"),
    ("rules:\n" + CITY_RULE + "recite:\n  - {rule: weekly, article: 第九条, quote: 各单位每周须更新。}\n",
     "已在 rules 中重写"),
])
def test_a_recite_of_no_inherited_rule_or_of_a_rewritten_one_is_an_error_at_its_rule(tmp_path, body, words):
    child = _base_and_child(tmp_path, body)
    [(line, _, path, msg)] = problems(child)
    written = (child / "pack.yaml").read_text(encoding="utf-8").splitlines()[line - 1]
    assert path == "recite[0].rule" and "- {rule:" in written and words in msg


def test_a_citation_without_document_cites_the_pack_document_and_is_checked_against_it(tmp_path):
    child = _base_and_child(tmp_path, "rules:\n" + CITY_RULE)
    assert load_pack(child, REGISTRY).rule("weekly").citation.document == "市文件"
    text = (child / "pack.yaml").read_text(encoding="utf-8")
    (child / "pack.yaml").write_text(text.replace("各单位每周须更新。}", "各单位每月须更新。}"), encoding="utf-8")
    found = problems(child)
    assert [(path, "市文件" in msg) for _, _, path, msg in found][0] == ("rules[0].citation.quote", True)


def test_a_citation_without_document_in_a_pack_of_no_single_document_is_an_error(tmp_path):
    folder = write_pack(tmp_path, HEADER.format(id="p") + "rules:\n"
                        + RULE.format(min_posts=1).replace("document: 测试文件, ", ""))
    [(line, _, path, msg)] = problems(folder)
    assert (line, path) == (12, "rules[0].citation") and "document" in msg


def test_a_sentence_cited_by_a_rule_needs_no_coverage_entry_and_the_report_follows_the_document(tmp_path):
    from govmedia_rules.packs.coverage import clause_coverage

    text = (HEADER.format(id="p") + "document_number: 测试文件\nsources: [{document: 测试文件, file: source.txt}]\n"
            "rules:\n" + RULE.format(min_posts=1).replace("document: 测试文件, ", "") + "coverage:\n"
            "  - {article: 第二条, quote: 各单位应加强培训。, not_checkable: 培训没有可提交的记录}\n")
    folder = write_pack(tmp_path, text)
    (folder / "source.txt").write_text("第一条 每周更新不少于1次。\n第二条 各单位应加强培训。\n", encoding="utf-8")
    report = clause_coverage(load_pack(folder, REGISTRY))
    assert report.index("每周更新不少于1次。\n    → weekly") < report.index("加强培训。\n    → 不可检查：培训没有")
    assert "共 2 条要求，其中 1 条由规则检查（50%），1 条标明不可检查的原因。" in report
