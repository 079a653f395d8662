"""A third-party plugin adds a pack and a rule kind; both are used by the engine and the CLI."""

import textwrap
from datetime import date

import pytest

from govmedia_rules import (
    AccountRuleKind,
    Engine,
    PackSource,
    Params,
    PluginError,
    Registry,
    Violation,
    hookimpl,
)
from govmedia_rules.cli import main
from govmedia_rules.kinds.base import account_subject

from .conftest import account, unit


class FollowerParams(Params):
    minimum: int = 100


class MinFollowers(AccountRuleKind):
    """Accounts need a minimum number of followers."""

    name = "min_followers"
    title = "粉丝数下限"
    Params = FollowerParams
    example = "params: {minimum: 100}"

    def check_account(self, history, scope):
        if (history.account.followers or 0) < self.params.minimum:
            yield Violation(account_subject(history), f"粉丝数少于{self.params.minimum}")


def make_plugin(tmp_path):
    folder = tmp_path / "thirdparty"
    folder.mkdir()
    (folder / "pack.yaml").write_text(textwrap.dedent("""\
        id: thirdparty
        title: 第三方规则包
        issuer: 某市
        jurisdiction: 某市
        version: 0.1.0
        rules:
          - id: followers
            kind: min_followers
            title: 粉丝数下限
            params: {minimum: 50}
            citation: {document: 某文件, article: 第一条, quote: 粉丝不少于50。}
        """), encoding="utf-8")

    class Plugin:
        @hookimpl
        def govmedia_rules_add_packs(self):
            return [PackSource("thirdparty", folder)]

        @hookimpl
        def govmedia_rules_add_rule_kinds(self):
            return [MinFollowers]

        seen = []

        @hookimpl
        def govmedia_rules_adjust_report(self, report):
            self.seen.append(len(report.findings))
            report.extensions["thirdparty"] = {"checked": True}

    return Plugin()


def test_third_party_pack_and_kind_are_used_by_the_engine(tmp_path):
    plugin = make_plugin(tmp_path)
    registry = Registry(plugins=[plugin], autoload=False)
    assert "thirdparty" in registry.packs and "min_followers" in registry.kinds and "lianyungang" in registry.packs
    report = Engine(["thirdparty"], registry=registry).evaluate(
        [unit(), account(followers=10), account("a2", platform="douyin", followers=60)],
        since=date(2019, 1, 1), as_of=date(2019, 12, 31))
    assert [f.subject.id for f in report.findings] == ["a1"]
    assert plugin.seen == [1] and report.extensions["thirdparty"] == {"checked": True}


def test_third_party_pack_through_the_cli(tmp_path, capsys):
    registry = Registry(plugins=[make_plugin(tmp_path)], autoload=False)
    data = tmp_path / "in.jsonl"
    data.write_text('{"type":"unit","id":"u1","name":"单位","level":"city","kind":"department"}\n'
                    '{"type":"account","id":"a1","unit_id":"u1","name":"号","platform":"weibo","followers":1}\n',
                    encoding="utf-8")
    assert main(["packs"], registry=registry) == 0
    assert "thirdparty" in capsys.readouterr().out
    assert main(["check", "--pack", "thirdparty", "--since", "2019-01-01", "--as-of", "2019-12-31", str(data)],
                registry=registry) == 1
    assert "粉丝数少于50" in capsys.readouterr().out
    assert main(["schema", "pack"], registry=registry) == 0
    assert "min_followers" in capsys.readouterr().out


def test_two_plugins_with_the_same_kind_name_is_an_error():
    class A:
        @hookimpl
        def govmedia_rules_add_rule_kinds(self):
            return [MinFollowers]

    class B(A):
        pass

    registry = Registry(plugins=[A(), B()], autoload=False)
    with pytest.raises(PluginError) as info:
        registry.kinds
    assert "min_followers" in str(info.value)


def test_a_kind_clashing_with_a_builtin_is_an_error():
    class Clash(MinFollowers):
        name = "update_frequency"

    class P:
        @hookimpl
        def govmedia_rules_add_rule_kinds(self):
            return [Clash]

    with pytest.raises(PluginError) as info:
        Registry(plugins=[P()], autoload=False).kinds
    assert "govmedia_rules.builtin" in str(info.value)


def test_a_raising_hook_names_the_plugin():
    class Faulty:
        @hookimpl
        def govmedia_rules_add_packs(self):
            raise OSError("disk gone")

    registry = Registry(plugins=[Faulty()], autoload=False)
    with pytest.raises(PluginError) as info:
        registry.packs
    assert "disk gone" in str(info.value) and info.value.plugin


def test_a_misspelt_hook_fails_at_start_up():
    class Typo:
        @hookimpl
        def govmedia_rules_add_pack(self):
            return []

    with pytest.raises(PluginError):
        Registry(plugins=[Typo()], autoload=False)


def test_autoload_can_be_turned_off(monkeypatch):
    calls = []
    monkeypatch.setattr("pluggy.PluginManager.load_setuptools_entrypoints", lambda self, group: calls.append(group))
    Registry(autoload=False)
    assert calls == []
    Registry(autoload=True)
    assert calls == ["govmedia_rules"]
