"""Invariant checks a pack author can call in their own tests (with hypothesis-generated records).

Each function raises AssertionError with a Chinese explanation when the
invariant does not hold, and returns nothing otherwise. The records are taken
as the whole truth (``complete=("all",)``): the invariants are about a rule's
logic, and adding the first record of a type changes what can be judged at all
(docs/evidence.md). Pass ``complete=()`` to check them on the evidence model.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from ..engine import Engine
from ..packs.loader import load_pack
from ..packs.model import Pack
from ..plugins import default_registry

Keys = set[tuple[str, str, str]]


WHOLE_TRUTH = ("all",)


def _keys(
    pack: Pack,
    records: list[Any],
    since: date,
    as_of: date,
    registry: Any = None,
    complete: Iterable[str] = WHOLE_TRUTH,
) -> Keys:
    report = Engine([pack], registry=registry).evaluate(
        records, since=since, as_of=as_of, complete=complete
    )
    return {(f.rule, f.subject.type, f.subject.id) for f in report.open_findings}


def _before_after(
    pack: Pack,
    records: list[Any],
    extra: list[Any],
    rules: set[str],
    since: date,
    as_of: date,
    registry: Any,
    complete: Iterable[str],
) -> tuple[Keys, Keys]:
    """The findings of ``rules`` without and with ``extra`` records."""
    before = _keys(pack, records, since, as_of, registry, complete)
    after = _keys(pack, records + extra, since, as_of, registry, complete)
    return {k for k in before if k[0] in rules}, {k for k in after if k[0] in rules}


def assert_deterministic(
    pack: Pack,
    records: list[Any],
    *,
    since: date,
    as_of: date,
    registry: Any = None,
    complete: Iterable[str] = WHOLE_TRUTH,
) -> None:
    """The same records, forwards and backwards, give the same findings."""
    forwards = _keys(pack, records, since, as_of, registry, complete)
    backwards = _keys(pack, list(reversed(records)), since, as_of, registry, complete)
    assert forwards == backwards, f"记录顺序改变了检查结果：{sorted(forwards ^ backwards)[:5]}"


def assert_tightening_keeps_findings(
    looser: Pack,
    tighter: Pack,
    records: list[Any],
    *,
    since: date,
    as_of: date,
    registry: Any = None,
    complete: Iterable[str] = WHOLE_TRUTH,
) -> None:
    """A stricter pack finds at least everything the looser one finds."""
    lost = _keys(looser, records, since, as_of, registry, complete) - _keys(
        tighter, records, since, as_of, registry, complete
    )
    assert not lost, f"收紧阈值后这些问题反而消失：{sorted(lost)[:5]}"


def assert_adding_records_keeps_findings_of(
    pack: Pack,
    records: list[Any],
    extra: list[Any],
    *,
    rules: set[str],
    since: date,
    as_of: date,
    registry: Any = None,
    complete: Iterable[str] = WHOLE_TRUTH,
) -> None:
    """Adding ``extra`` records never removes a finding of ``rules`` (e.g. removing a sign-off,
    adding a late filing)."""
    before, after = _before_after(pack, records, extra, rules, since, as_of, registry, complete)
    assert before <= after, f"增加记录后这些问题消失：{sorted(before - after)[:5]}"


def assert_adding_records_adds_no_findings_of(
    pack: Pack,
    records: list[Any],
    extra: list[Any],
    *,
    rules: set[str],
    since: date,
    as_of: date,
    registry: Any = None,
    complete: Iterable[str] = WHOLE_TRUTH,
) -> None:
    """Adding ``extra`` records never adds a finding of ``rules`` (e.g. a timely post and update
    frequency)."""
    before, after = _before_after(pack, records, extra, rules, since, as_of, registry, complete)
    assert after <= before, f"增加记录后出现新问题：{sorted(after - before)[:5]}"


def assert_extension_without_overrides_is_identity(
    pack: Pack,
    records: list[Any],
    *,
    since: date,
    as_of: date,
    registry: Any = None,
    complete: Iterable[str] = WHOLE_TRUTH,
) -> None:
    """A pack that extends ``pack`` (a loaded pack folder) and changes nothing finds exactly the
    same things."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "child"
        folder.mkdir()
        (folder / "pack.yaml").write_text(
            f"id: {pack.id}\n"
            "title: 无改动的扩展\n"
            "issuer: 测试\n"
            "jurisdiction: 测试\n"
            "version: '0'\n"
            f"extends: '{os.path.relpath(pack.path, folder)}'\n",
            encoding="utf-8",
        )
        child = load_pack(folder, registry or default_registry())
    same = _keys(pack, records, since, as_of, registry, complete) == _keys(
        child, records, since, as_of, registry, complete
    )
    assert same, "不加改动的扩展改变了检查结果"
