"""Every built-in pack over generated histories: messages an office can send, one finding per fact.

Histories come from :func:`govmedia_rules.testing.histories` (full and sparse),
widened with the record types and units those lack (incidents, attestations,
reports, spot checks, internal bodies, …) so that every kind has something to
judge, and evaluated with ``complete=["all"]`` so that rules fire.
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govmedia_rules import Engine
from govmedia_rules.labels import ATTESTATION, FIELD, FLAG, INCIDENT
from govmedia_rules.packs.loader import load_pack
from govmedia_rules.testing import histories

from .conftest import REGISTRY

PACKS = ["national", "lianyungang", "ankang", "changde", "baicheng", "junshan"]
ENGINES = {pack: Engine([pack], registry=REGISTRY, complete=["all"]) for pack in PACKS}
START, END = date(2019, 1, 1), date(2019, 12, 31)

_UNITS = [("市教育局", "city", "department"), ("某科室", "county", "internal_body"),
          ("某镇人民政府", "township", "government"), ("某公司", "county", "enterprise"),
          ("某县行政审批服务局", "county", "department")]


@st.composite
def _widened(draw: Any, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The history, with flags from the whole vocabulary and the record types it never holds."""
    out = [dict(r) for r in records]
    accounts = [r["id"] for r in out if r["type"] == "account"]
    for record in out:
        if record["type"] == "post" and record.get("flags"):
            record["flags"] = draw(st.lists(st.sampled_from(sorted(FLAG)), min_size=1, max_size=2))
    for i, (name, level, kind) in enumerate(draw(st.lists(st.sampled_from(_UNITS), max_size=2, unique=True))):
        out.append({"type": "unit", "id": f"x{i}", "name": name, "level": level, "kind": kind})
        opened = draw(st.dates(START - timedelta(400), END))
        out.append({"type": "account", "id": f"x{i}-a", "unit_id": f"x{i}", "name": name,
                    "platform": draw(st.sampled_from(["weibo", "wechat", "website"])),
                    "opened_on": opened.isoformat()})
    unit_ids = [r["id"] for r in out if r["type"] == "unit"]
    for j, kind in enumerate(draw(st.lists(st.sampled_from(sorted(INCIDENT)), max_size=3))):
        out.append({"type": "incident", "id": f"i{j}", "account_id": draw(st.sampled_from(accounts)),
                    "kind": kind, "on": draw(st.dates(START, END)).isoformat()})
    for j, item in enumerate(draw(st.lists(st.sampled_from(sorted(ATTESTATION)), max_size=3))):
        out.append({"type": "attestation", "id": f"t{j}", "unit_id": draw(st.sampled_from(unit_ids)),
                    "item": item, "on": draw(st.dates(START, END)).isoformat()})
    for j in range(draw(st.integers(0, 2))):
        out.append({"type": "report", "id": f"r{j}", "unit_id": draw(st.sampled_from(unit_ids)),
                    "kind": draw(st.sampled_from(["quarterly_self_check", "ops_report", "survey"])),
                    "period": f"2019Q{draw(st.integers(1, 4))}",
                    "submitted_on": draw(st.dates(START, END)).isoformat()})
    for j in range(draw(st.integers(0, 2))):
        out.append({"type": "spot_check", "id": f"s{j}", "account_id": draw(st.sampled_from(accounts)),
                    "level": draw(st.sampled_from(["national", "provincial", "city"])),
                    "on": draw(st.dates(START, END)).isoformat(), "notified": True,
                    "result": draw(st.sampled_from(["pass", "deducted", "vetoed"]))})
    return out


INPUTS = st.one_of(histories(details=True), histories(details=True, sparse=True)).flatmap(_widened)
FAST = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _record_words(records: list[dict[str, Any]]) -> list[str]:
    """Text that comes from the records (ids, names …), longest first: not the engine's words."""
    words = {str(v) for r in records for k, v in r.items() if isinstance(v, str) and k not in ("type",)}
    return sorted(words, key=len, reverse=True)


_ENGLISH = re.compile(r"[A-Za-z]{2,}")
_DOUBLE_NEGATIVE = re.compile(r"(从未|没有|未)[^，。；：（）]{0,10}(无|未|没有)")
_QUOTES = {"“": "”", "「": "」", "『": "』", "‘": "’"}


def message_problems(message: str, records: list[dict[str, Any]]) -> list[str]:
    """What would stop an office sending ``message``: English, a double negative, nested quotes."""
    for word in _record_words(records):
        message = message.replace(word, "某")
    problems = [f"英文：{m}" for m in _ENGLISH.findall(message)]
    problems += [f"双重否定：{m.group(0)}" for m in _DOUBLE_NEGATIVE.finditer(message)]
    open_quotes: list[str] = []
    for char in message:
        if char in _QUOTES:
            if open_quotes:
                problems.append("引号嵌套")
            open_quotes.append(char)
        elif open_quotes and char == _QUOTES[open_quotes[-1]]:
            open_quotes.pop()
    return problems


@FAST
@given(INPUTS)
def test_every_message_is_one_an_office_can_send(records):
    for pack, engine in ENGINES.items():
        for finding in engine.evaluate(records, since=START, as_of=END).findings:
            problems = message_problems(finding.message, records)
            assert not problems, (pack, finding.rule, finding.message, problems)


def facts(finding: Any) -> set[tuple[Any, ...]]:
    """The facts a finding reports: its subject, with the item it is about where a rule lists items."""
    subject = (finding.subject.type, finding.subject.id)
    evidence = finding.evidence
    if finding.kind == "forbidden_post_flags":
        return {(subject, "flag", f) for f in evidence["flags"]}
    if finding.kind in ("attestation", "required_fields"):
        return {(subject, "item", m) for m in evidence["missing"]}
    if finding.kind == "condition":  # the field, and what the rule requires of it
        required = finding.message.split("不符合要求：", 1)[-1].rsplit("（", 1)[0]
        return {(subject, "field", f, required) for f in evidence["fields"]}
    if finding.kind == "approval_chain":  # each step missing, whatever else a rule asks
        return {(subject, "step", step.split("（")[0]) for step in evidence["missing"]}
    if finding.kind == "incidents":
        return {(subject, "incident", evidence["incident"])}
    if finding.kind in ("repost_source", "required_unit_account"):
        return {(subject, finding.kind)}
    if finding.kind == "filing_deadline":  # what went wrong, whatever deadline each rule sets
        shape = tuple(sorted(set(evidence) - {"deadline", "expected"}))
        return {(subject, finding.kind, shape, str(evidence.get("action")), str(evidence.get("action_on")))}
    return {(subject, finding.kind, json.dumps(evidence, sort_keys=True, default=str))}


def repeated_facts(findings: list[Any]) -> list[tuple[Any, set[str]]]:
    """Facts more than one rule reported."""
    seen: dict[Any, set[str]] = {}
    for finding in findings:
        for fact in facts(finding):
            seen.setdefault(fact, set()).add(finding.rule)
    return [(fact, rules) for fact, rules in seen.items() if len(rules) > 1]


@FAST
@given(INPUTS)
def test_no_two_rules_of_a_pack_report_one_fact(records):
    for pack, engine in ENGINES.items():
        report = engine.evaluate(records, since=START, as_of=END)
        assert not repeated_facts(report.findings), (pack, repeated_facts(report.findings))


def test_every_field_a_rule_reads_has_a_chinese_name():
    for pack_id in PACKS:
        for rule in load_pack(pack_id, REGISTRY).rules:
            params = rule.params
            paths = list(params.get("fields", []))
            paths += re.findall(r"'field': '([^']+)'", str(params))
            paths += re.findall(r"'same_as': '([^']+)'", str(params))
            for path in paths:
                name = path.removeprefix("unit.") if path.startswith("unit.") else path
                assert name in FIELD or path in FIELD, (pack_id, rule.id, path)
