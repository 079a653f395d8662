"""Bodies a document names (本级政府办公室, 市行政审批局): found among the input's units by what
they are, never by the text of their names.

A sentence such as 「各级政府办公室接到备案后在1个工作日内…报送」 puts a duty on a body that is not
the account's sponsor, and 「由本级行政审批服务局批准」 names an approver. Such a body is the unit
whose ``body`` says so, serving the sponsor's region (its nearest county-level or higher
government, through ``parent_id``) at that government's level, or at the level the rule names.
Matching names would make 津市市行政审批服务局 (a county bureau) the city's, since it contains
市行政审批. A body the input does not identify leaves the subject not evaluable: a duty is never
put on the sponsor because its office is missing from the data.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from pydantic import Field

from ..dataset.registry import Dataset
from ..findings.scoring import region_of
from ..labels import BODY, LEVEL, label
from ..records import Body, Level, Unit
from .base import Params


class BodyRef(Params):
    """One body as a sentence names it: what it is, and of which level."""

    body: Body = Field(description="government_office 政府办公室, approval_bureau 行政审批服务局 …")
    level: Level | None = Field(
        default=None,
        description="The level of the body; omitted: the sponsor's own (本级), "
        "city: the city's above it (市政府办公室)",
    )

    def describe(self) -> str:
        """本级政府办公室, 市级行政审批服务局: the body in words."""
        return ("本级" if self.level is None else label(LEVEL, self.level)) + label(BODY, self.body)


#: per dataset: (government id, body) → the units that are that body of that government
_INDEX: WeakKeyDictionary[Dataset, dict[tuple[str, str], list[Unit]]] = WeakKeyDictionary()


def _bodies(dataset: Dataset) -> dict[tuple[str, str], list[Unit]]:
    index = _INDEX.get(dataset)
    if index is None:
        index = {}
        for view in dataset.units.values():
            unit = view.unit
            if unit.body is None:
                continue
            for government in {region_of(dataset, unit.id), unit.parent_id} - {None, unit.id}:
                index.setdefault((str(government), unit.body), []).append(unit)
        _INDEX[dataset] = index
    return index


def _government(dataset: Dataset, unit: Unit, level: Level | None) -> Unit | None:
    """The government whose body serves ``unit``: its region's, or the one above at ``level``."""
    seen: set[str] = set()
    current = region_of(dataset, unit.id)
    while current is not None and current in dataset.units and current not in seen:
        seen.add(current)
        government = dataset.units[current].unit
        if government.kind != "government":
            return None
        if level is None or government.level == level:
            return government
        current = region_of(dataset, government.parent_id)
    return None


def find_body(dataset: Dataset, unit: Unit, ref: BodyRef) -> Unit | str:
    """The unit that is ``ref`` for ``unit``; else the field whose blanks leave it unknown
    (``unit.parent_id`` when no government is above the unit, ``unit.body`` when none or several
    units of the region say they are that body)."""
    government = _government(dataset, unit, ref.level)
    if government is None:
        return "unit.parent_id"
    found = [
        u
        for u in _bodies(dataset).get((government.id, ref.body), [])
        if u.level == government.level
    ]
    return found[0] if len(found) == 1 else "unit.body"
