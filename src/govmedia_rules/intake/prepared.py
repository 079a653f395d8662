"""Accepting input: every record read is accepted or rejected with a reason, and indexed once.

Both readers — record by record and column by column (:mod:`.tables`) —
account for input here, so the reasons, codes and the rule that the first of
two records with one id wins are stated once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..dataset.registry import Dataset
from ..findings.report import InputAccounting, Rejection
from .files import InputItem


@dataclass(frozen=True)
class Prepared:
    """Input accepted and indexed once, ready to evaluate any number of times."""

    dataset: Dataset
    accounting: InputAccounting


class Intake:
    """Input accounting as records are accepted: everything read is accepted or rejected with a
    reason.

    Records and the rows the column checks pass on are screened through it one by
    one; the columnar intake (:mod:`.tables`) adds its own rejections here.
    """

    def __init__(self) -> None:
        self.read = 0
        self.rejections: list[Rejection] = []
        self.seen: dict[tuple[str, str], InputItem] = {}

    def reject(
        self,
        source: str,
        line: int,
        type_: str | None,
        id_: str | None,
        reason: str,
        *,
        code: str = "invalid",
        field: str | None = None,
    ) -> None:
        self.rejections.append(
            Rejection(
                source=source, line=line, type=type_, id=id_, reason=reason, code=code, field=field
            )
        )

    def reject_item(
        self, item: InputItem, reason: str, *, code: str | None = None, field: str | None = None
    ) -> None:
        self.reject(
            item.source,
            item.line,
            item.type,
            item.id,
            reason,
            code=code or item.code or "invalid",
            field=field or item.field,
        )

    def screen(
        self, items: Iterable[InputItem], *, keep_duplicates: frozenset[str] = frozenset()
    ) -> dict[str, list[InputItem]]:
        """Valid records by type, invalid ones and repeated ids rejected (except types in
        ``keep_duplicates``, which the caller deduplicates itself)."""
        staged: dict[str, list[InputItem]] = defaultdict(list)
        for item in items:
            self.read += 1
            if item.record is None:
                self.reject_item(item, item.error or "无效记录")
                continue
            key = (item.record.type, item.record.id)
            if key[0] not in keep_duplicates:
                if key in self.seen:
                    first = self.seen[key]
                    self.reject_item(
                        item,
                        duplicate_reason(key[0], key[1], first.source, first.line),
                        code="duplicate_id",
                        field="id",
                    )
                    continue
                self.seen[key] = item
            staged[item.record.type].append(item)
        return staged

    def index(self, staged: dict[str, list[InputItem]]) -> Dataset:
        """The dataset of screened records: units, then accounts (by unit id or exact unit name),
        then events."""
        dataset = Dataset()
        for item in staged.pop("unit", []):
            dataset.add_unit(item.record)
        by_name: dict[str, list[str]] = defaultdict(list)
        for view in dataset.units.values():
            by_name[view.unit.name].append(view.unit.id)
        for item in staged.pop("account", []):
            account = item.record
            named = by_name.get(account.unit_id, [])
            if (
                account.unit_id not in dataset.units and len(named) == 1
            ):  # registries name the sponsor unit
                account = account.model_copy(update={"unit_id": named[0]})
            if account.unit_id in dataset.units:
                dataset.add_account(account)
            elif len(named) > 1:
                self.reject_item(
                    item,
                    f"unit_id: 主办单位名称 {account.unit_id!r} 对应多个单位"
                    f"（{'、'.join(named)}），请改填单位 id",
                    code="ambiguous_reference",
                    field="unit_id",
                )
            else:
                self.reject_item(
                    item,
                    f"unit_id: 主办单位 {account.unit_id!r} 不在输入中"
                    "（既不是单位 id，也不是单位名称）",
                    code="unknown_reference",
                    field="unit_id",
                )
        for kind in sorted(staged):
            for item in staged[kind]:
                problem = _dangling(item.record, dataset)
                if problem:
                    self.reject_item(item, problem[1], code="unknown_reference", field=problem[0])
                else:
                    dataset.add_event(item.record)
        dataset.finish()
        return dataset

    def accounting(self) -> InputAccounting:
        rejections = sorted(self.rejections, key=lambda r: (r.source, r.line))
        return InputAccounting(
            read=self.read,
            accepted=self.read - len(rejections),
            rejected=len(rejections),
            rejections=rejections,
        )


def duplicate_reason(type_: str, id_: str, first_source: str, first_line: int) -> str:
    return f"{type_} 的 id {id_!r} 重复（首次出现在 {first_source}:{first_line}）"


def unknown_account_reason(account_id: str) -> str:
    return f"account_id: 账号 {account_id!r} 不在输入中（或已被拒绝）"


def _dangling(record: Any, dataset: Dataset) -> tuple[str, str] | None:
    """The field and reason of a reference to a unit or account not in the input, if any."""
    fields = type(record).model_fields
    unit_id = record.unit_id if "unit_id" in fields else None
    account_id = record.account_id if "account_id" in fields else None
    if account_id is not None and account_id not in dataset.accounts:
        return "account_id", unknown_account_reason(account_id)
    if unit_id is not None and unit_id not in dataset.units:
        return "unit_id", f"unit_id: 单位 {unit_id!r} 不在输入中"
    return None


__all__ = ["Intake", "Prepared", "duplicate_reason", "unknown_account_reason"]
