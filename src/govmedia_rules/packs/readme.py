"""The rule table of a pack's README, generated from the pack so prose and rules cannot drift.

Each rule's ``reading`` (how it reads its sentence) is written beside the rule in pack.yaml;
the README holds the table between two markers, rewritten by ``govmedia-rules readme --write``
(``make docs``) and compared with the pack by the tests.
"""

from __future__ import annotations

from pathlib import Path

from .model import Pack

BEGIN = "<!-- rules: generated from pack.yaml by `govmedia-rules readme --write`; edit there -->"
END = "<!-- /rules -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def rule_table(pack: Pack) -> str:
    """The table of a loaded pack's own rules (recited ones marked) and the rules it drops."""
    recited = {r.rule for r in pack.recite}
    own = pack.own_rules()
    header = ["| 规则 | 标题 | 条款 | 解释 |", "|---|---|---|---|"]
    lines = header if own else ["本包没有自己的规则。"]
    for rule in own:
        name = f"`{rule.id}`" + ("（继承，本文件重申）" if rule.id in recited else "")
        lines.append(
            f"| {name} | {_cell(rule.title)} | {_cell(rule.citation.article)} "
            f"| {_cell(rule.reading or '（未写明）')} |"
        )
    if pack.drop_rules:
        lines += ["", "本包不再适用的继承规则："]
        lines += [f"- `{d.rule}`：{d.reason}" for d in pack.drop_rules]
    return "\n".join([BEGIN, *lines, END])


def with_table(readme: str, pack: Pack) -> str:
    """The README with its generated block replaced (or added at the end when it has none)."""
    table = rule_table(pack)
    if BEGIN in readme and END in readme:
        head, rest = readme.split(BEGIN, 1)
        return head + table + rest.split(END, 1)[1]
    return readme.rstrip("\n") + "\n\n## 规则与解释\n\n" + table + "\n"


def readme_path(pack: Pack) -> Path:
    return Path(pack.path) / "README.md"
